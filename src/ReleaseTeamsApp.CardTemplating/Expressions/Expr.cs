using System.Text;

namespace ReleaseTeamsApp.CardTemplating.Expressions;

/// <summary>Outcome of evaluating an expression: a value (C# null = undefined) or an error message.</summary>
internal readonly record struct EvalResult(object? Value, string? Error)
{
    public static EvalResult Ok(object? value) => new(value, null);

    public static EvalResult Fail(string error) => new(null, error);
}

/// <summary>A parsed Adaptive Expression node.</summary>
internal abstract class Expr
{
    /// <summary>Evaluates the node; <paramref name="substitute"/> turns undefined paths into their own <c>${path}</c> text like AEL nullSubstitution.</summary>
    public abstract EvalResult Evaluate(Scope scope, bool substitute);
}

internal sealed class ConstantExpr(object? value) : Expr
{
    public object? Value { get; } = value;

    public override EvalResult Evaluate(Scope scope, bool substitute) => EvalResult.Ok(Value);

    public override string ToString() => Value switch
    {
        null => "undefined",
        JsNull => "null",
        string s => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        List<object?> or Dictionary<string, object?> => JsValue.Stringify(Value),
        _ => JsValue.ToJsString(Value),
    };
}

/// <summary>A member path (<c>a.b</c>) or an index (<c>a[0]</c>).</summary>
internal sealed class PathExpr : Expr
{
    private readonly string[]? _staticParts;

    public PathExpr(string? name, Expr? instance, Expr? index)
    {
        Name = name;
        Instance = instance;
        Index = index;
        _staticParts = TryStaticParts();
    }

    /// <summary>The member name; null for an indexer.</summary>
    public string? Name { get; }

    public Expr? Instance { get; }

    public Expr? Index { get; }

    public bool IsSimpleIdentifier => Name is not null && Instance is null;

    private string[]? TryStaticParts()
    {
        var parts = new List<string>();
        Expr? current = this;
        while (current is PathExpr p && p.Name is not null)
        {
            parts.Add(p.Name);
            current = p.Instance;
        }

        if (current is not null)
        {
            return null;
        }

        parts.Reverse();
        return [.. parts];
    }

    public override EvalResult Evaluate(Scope scope, bool substitute)
    {
        if (Name is null)
        {
            return EvaluateElement(scope, substitute);
        }

        if (_staticParts is not null)
        {
            var value = scope.GetValue(_staticParts);
            return EvalResult.Ok(value is null && substitute ? "${" + string.Join('.', _staticParts) + "}" : value);
        }

        // AEL tryAccumulatePath: fold the member/index chain into one path, evaluating whatever sits at its base.
        var segments = new List<(string Part, string Text)>();
        Expr? left = this;
        while (left is PathExpr p)
        {
            if (p.Name is not null)
            {
                segments.Add((p.Name, "." + p.Name));
            }
            else
            {
                var idx = p.Index!.Evaluate(scope, substitute);
                if (idx.Error is not null)
                {
                    return idx;
                }

                if (idx.Value is double d && !double.IsNaN(d))
                {
                    var text = JsValue.NumberToString(d);
                    segments.Add((text, "[" + text + "]"));
                }
                else if (idx.Value is string s)
                {
                    segments.Add((s, "['" + s + "']"));
                }
                else
                {
                    return EvalResult.Fail($"{p.Index} doesn't return an int or string");
                }
            }

            left = p.Instance;
        }

        segments.Reverse();
        var parts = segments.Select(s => s.Part).ToArray();
        var sb = new StringBuilder();
        foreach (var (_, text) in segments)
        {
            sb.Append(text);
        }

        var path = sb.ToString().TrimStart('.');
        object? result;
        if (left is null)
        {
            result = scope.GetValue(parts);
        }
        else
        {
            var baseValue = left.Evaluate(scope, substitute);
            if (baseValue.Error is not null)
            {
                return baseValue;
            }

            result = Scope.Walk(baseValue.Value, parts, 0);
            if (baseValue.Value is null)
            {
                result = null;
            }
        }

        return EvalResult.Ok(result is null && substitute ? "${" + path + "}" : result);
    }

    private EvalResult EvaluateElement(Scope scope, bool substitute)
    {
        var inst = Instance!.Evaluate(scope, substitute);
        if (inst.Error is not null)
        {
            return inst;
        }

        var idx = Index!.Evaluate(scope, false);
        if (idx.Error is not null)
        {
            return idx;
        }

        if (JsValue.IsInteger(idx.Value))
        {
            var i = (double)idx.Value!;
            if (JsValue.IsNullish(inst.Value))
            {
                return EvalResult.Ok(null);
            }

            if (inst.Value is List<object?> list)
            {
                return i >= 0 && i < list.Count
                    ? EvalResult.Ok(list[(int)i])
                    : EvalResult.Fail($"{JsValue.NumberToString(i)} is out of range for {JsValue.ToJsString(inst.Value)}");
            }

            return EvalResult.Fail($"{JsValue.ToJsString(inst.Value)} is not a collection.");
        }

        if (idx.Value is string key)
        {
            return EvalResult.Ok(Scope.AccessProperty(inst.Value, key));
        }

        return EvalResult.Fail($"Could not coerce {Index} to an int or string.");
    }

    public override string ToString() => Name is null
        ? $"{Instance}[{Index}]"
        : Instance is null ? Name : $"{Instance}.{Name}";
}

/// <summary>A function or operator application.</summary>
internal sealed class CallExpr(string type, Expr[] args, FunctionDefinition? function) : Expr
{
    public string Type { get; } = type;

    public Expr[] Args { get; } = args;

    public override EvalResult Evaluate(Scope scope, bool substitute) => function is null
        ? EvalResult.Fail("Unknown function " + Type)
        : function.Evaluate(this, scope, substitute);

    public override string ToString()
    {
        var infix = Type.Length > 0 && !char.IsAsciiLetter(Type[0]) && Args.Length >= 2;
        var sb = new StringBuilder();
        if (!infix)
        {
            sb.Append(Type);
        }

        sb.Append('(');
        for (var i = 0; i < Args.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(infix ? " " + Type + " " : ", ");
            }

            sb.Append(Args[i]);
        }

        return sb.Append(')').ToString();
    }
}

/// <summary>Evaluator of one built-in function.</summary>
internal sealed class FunctionDefinition(string type, int minArity, int maxArity, Func<CallExpr, Scope, bool, EvalResult> evaluate)
{
    public string Type { get; } = type;

    public int MinArity { get; } = minArity;

    public int MaxArity { get; } = maxArity;

    public EvalResult Evaluate(CallExpr call, Scope scope, bool substitute) => evaluate(call, scope, substitute);
}
