using System;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;

namespace Trapweave.Internal;

/// <summary>
/// The call an arrangement expression describes: which method, on which receiver, with which
/// argument matchers. <c>() =&gt; obj.M(1, Arg.Any&lt;string&gt;())</c>, <c>() =&gt; Type.StaticProp</c>,
/// <c>() =&gt; obj[key]</c> and <c>() =&gt; new T(...)</c> are understood.
/// </summary>
internal sealed class CallPattern
{
    public MethodBase Method { get; private set; } = null!;
    public object? Instance { get; private set; }
    public Func<object?, bool>[] Matchers { get; private set; } = Array.Empty<Func<object?, bool>>();

    public static CallPattern Parse(LambdaExpression lambda)
    {
        var body = lambda.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } unary)
            body = unary.Operand;

        switch (body)
        {
            case MethodCallExpression call:
                return Build(call.Method, call.Object, call.Arguments.ToArray(), call.Method.GetParameters());
            case MemberExpression { Member: PropertyInfo property } member:
            {
                var getter = property.GetMethod ?? throw new TrapException($"Cannot arrange {property.DeclaringType?.Name}.{property.Name}: it has no getter.");
                return Build(getter, member.Expression, Array.Empty<Expression>(), Array.Empty<ParameterInfo>());
            }
            case IndexExpression { Indexer: { } indexer } index:
                return Build(indexer.GetMethod!, index.Object, index.Arguments.ToArray(), indexer.GetMethod!.GetParameters());
            case NewExpression { Constructor: { } ctor } created:
                return Build(ctor, null, created.Arguments.ToArray(), ctor.GetParameters());
            case MemberExpression { Member: FieldInfo field }:
                throw new TrapException($"Cannot arrange {field.DeclaringType?.Name}.{field.Name}: it is a field, not a method or property.");
            default:
                throw new TrapException($"Cannot arrange '{lambda}': write a single call, property read, indexer or constructor, such as () => Clock.Now() or () => repo.Get(Arg.Any<int>()).");
        }
    }

    static CallPattern Build(MethodBase method, Expression? receiver, Expression[] arguments, ParameterInfo[] parameters)
    {
        object? instance = null;
        if (receiver is not null)
        {
            instance = Evaluate(receiver);
            if (instance is null)
                throw new TrapException($"Cannot arrange {TrapTarget.Describe(method)}: the receiver expression '{receiver}' evaluated to null.");
        }
        var matchers = new Func<object?, bool>[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
            matchers[i] = parameters[i].ParameterType.IsByRef ? Any : Matcher(arguments[i]);
        return new CallPattern { Method = method, Instance = instance, Matchers = matchers };
    }

    static readonly Func<object?, bool> Any = _ => true;

    static Func<object?, bool> Matcher(Expression argument)
    {
        var inner = argument;
        while (inner is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } unary) inner = unary.Operand;
        if (inner is MethodCallExpression call && call.Method.DeclaringType == typeof(Arg))
        {
            if (call.Method.Name == nameof(Arg.Any)) return Any;
            if (call.Method.Name == nameof(Arg.Is))
            {
                var predicate = Evaluate(call.Arguments[0]);
                return (Func<object?, bool>)typeof(CallPattern).GetMethod(nameof(Typed), BindingFlags.Static | BindingFlags.NonPublic)!
                    .MakeGenericMethod(call.Method.GetGenericArguments()[0]).Invoke(null, new[] { predicate })!;
            }
        }
        if (argument.Type.IsByRefLike)
            throw new TrapException($"Cannot match the ref struct argument '{argument}': use Arg.Any<{argument.Type.Name}>() or Trap.Patch.");
        var expected = Evaluate(argument);
        return value => Equals(expected, value);
    }

    static Func<object?, bool> Typed<T>(Func<T, bool> predicate) =>
        value => value is T typed ? predicate(typed) : value is null && default(T) is null && predicate(default!);

    static object? Evaluate(Expression expression)
    {
        if (expression is ConstantExpression constant) return constant.Value;
        return Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)();
    }

    public bool Matches(Invocation call)
    {
        for (var i = 0; i < Matchers.Length; i++)
            if (!Matchers[i](call.Arguments[i])) return false;
        return true;
    }
}
