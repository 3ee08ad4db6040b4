namespace Trapweave;

/// <summary>
/// Sees calls to an intercepted method before and after the original runs (xgo's Interceptor).
/// Calls the interceptor makes to the same method run the original, never the interceptor again.
/// </summary>
public interface IInterceptor
{
    /// <summary>Runs before the original: may read or replace arguments, or set a result/exception to skip it.</summary>
    void Before(Invocation call);

    /// <summary>Runs after the original (or after Before completed the call): may replace the result or exception.
    /// Not called for constructors, whose body runs after the interceptor returns.</summary>
    void After(Invocation call);
}

/// <summary>An <see cref="IInterceptor"/> that does nothing until overridden.</summary>
public abstract class Interceptor : IInterceptor
{
    public virtual void Before(Invocation call) { }
    public virtual void After(Invocation call) { }
}
