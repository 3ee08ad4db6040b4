namespace Trapweave.Internal;

/// <summary>Hands calls to a user <see cref="IInterceptor"/>.</summary>
[System.Diagnostics.StackTraceHidden]
internal sealed class InterceptorRegistration : BoxedRegistration
{
    public override string Kind => "Intercept";

    readonly IInterceptor _interceptor;

    public InterceptorRegistration(TrapTarget target, RedirectRoute? route, bool isGlobal, object? instance, IInterceptor interceptor)
        : base(target, route, isGlobal, instance)
    {
        _interceptor = interceptor;
    }

    protected override void Before(Invocation call) => _interceptor.Before(call);
    protected override void After(Invocation call) => _interceptor.After(call);
}

/// <summary>An <see cref="IInterceptor"/> made of two optional actions.</summary>
[System.Diagnostics.StackTraceHidden]
internal sealed class ActionInterceptor : IInterceptor
{
    readonly System.Action<Invocation>? _before;
    readonly System.Action<Invocation>? _after;

    public ActionInterceptor(System.Action<Invocation>? before, System.Action<Invocation>? after)
    {
        _before = before;
        _after = after;
    }

    public bool HasAfter => _after is not null;
    public void Before(Invocation call) => _before?.Invoke(call);
    public void After(Invocation call) => _after?.Invoke(call);
}
