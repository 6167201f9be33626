using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Expressions;

/// <summary>The built-in Adaptive Expression functions, with the reference engine's (adaptive-expressions 4.x) semantics.</summary>
internal static class Functions
{
    private const int Many = int.MaxValue;
    private const string DefaultDateFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    private delegate string? Verify(object? value, Expr child);

    private static readonly Dictionary<string, FunctionDefinition> Table = Build();

    public static FunctionDefinition? Lookup(string name) => Table.GetValueOrDefault(name);

    private static Dictionary<string, FunctionDefinition> Build()
    {
        var t = new Dictionary<string, FunctionDefinition>(StringComparer.Ordinal);
        void Add(string type, int min, int max, Func<CallExpr, Scope, bool, EvalResult> eval, params string[] aliases)
        {
            var def = new FunctionDefinition(type, min, max, eval);
            t[type] = def;
            foreach (var alias in aliases)
            {
                t[alias] = def;
            }
        }

        Add("+", 2, Many, Apply(AddSequence, VerifyNumberOrStringOrNull), "add");
        Add("-", 2, Many, Apply(a => Sequence(a, (x, y) => (double)x! - (double)y!), VerifyNumber), "sub");
        Add("*", 2, Many, Apply(a => Sequence(a, (x, y) => (double)x! * (double)y!), VerifyNumber), "mul");
        Add("/", 2, Many, Apply(a => Sequence(a, Divide), VerifyDivisor), "div");
        Add("%", 2, 2, Apply(Mod, VerifyInteger), "mod");
        Add("^", 2, Many, Apply(a => Sequence(a, (x, y) => Math.Pow((double)x!, (double)y!)), VerifyNumber), "exp");
        Add("==", 2, 2, Comparison(a => JsValue.CommonEquals(a[0], a[1]), null), "equals");
        Add("!=", 2, 2, Comparison(a => !JsValue.CommonEquals(a[0], a[1]), null), "notEquals", "<>");
        Add(">", 2, 2, Comparison(a => Compare(a) > 0, VerifyNotNull), "greater");
        Add(">=", 2, 2, Comparison(a => Compare(a) >= 0, VerifyNotNull), "greaterOrEquals");
        Add("<", 2, 2, Comparison(a => Compare(a) < 0, VerifyNotNull), "less");
        Add("<=", 2, 2, Comparison(a => Compare(a) <= 0, VerifyNotNull), "lessOrEquals");
        Add("!", 1, 1, Not, "not");
        Add("&&", 1, Many, And, "and");
        Add("||", 1, Many, Or, "or");
        Add("if", 3, 3, If);
        Add("exists", 1, 1, Comparison(a => !JsValue.IsNullish(a[0]), VerifyNotNull));
        Add("empty", 1, 1, Comparison(a => IsEmpty(a[0]), VerifyContainerOrNull));
        Add("count", 1, 1, Apply(Count, VerifyContainer));
        Add("length", 1, 1, Apply(a => (double)StringOrEmpty(a[0]).Length, VerifyStringOrUndefined));
        Add("concat", 1, Many, Apply(a => Sequence(a, ConcatPair), null));
        Add("coalesce", 1, Many, Apply(a => a.FirstOrDefault(v => !JsValue.IsNullish(v)), null), "??");
        Add("join", 2, 3, Apply(Join, null));
        Add("toUpper", 1, 2, Apply(a => StringOrEmpty(a[0]).ToUpperInvariant(), VerifyStringOrUndefined));
        Add("toLower", 1, 2, Apply(a => StringOrEmpty(a[0]).ToLowerInvariant(), VerifyStringOrUndefined));
        Add("trim", 1, 1, Apply(a => StringOrEmpty(a[0]).Trim(), VerifyStringOrUndefined));
        Add("substring", 2, 3, Apply(Substring, null));
        Add("replace", 3, 3, Apply(Replace, VerifyStringOrUndefined));
        Add("split", 1, 2, Apply(Split, VerifyStringOrUndefined));
        Add("contains", 2, 2, Contains);
        Add("startsWith", 2, 2, Apply(a => StringOrEmpty(a[0]).StartsWith(StringOrEmpty(a[1]), StringComparison.Ordinal), VerifyStringOrUndefined));
        Add("endsWith", 2, 2, Apply(a => StringOrEmpty(a[0]).EndsWith(StringOrEmpty(a[1]), StringComparison.Ordinal), VerifyStringOrUndefined));
        Add("string", 1, 2, Apply(ToStringFunction, null));
        Add("int", 1, 1, Apply(ToInt, null));
        Add("float", 1, 1, Apply(ToFloat, null));
        Add("bool", 1, 1, Comparison(ToBool, null));
        Add("json", 1, 1, Apply(ParseJson, null));
        Add("max", 1, Many, Apply(a => Extreme(a, Math.Max, double.NegativeInfinity), VerifyNumberOrNumericList));
        Add("min", 1, Many, Apply(a => Extreme(a, Math.Min, double.PositiveInfinity), VerifyNumberOrNumericList));
        Add("round", 1, 2, Apply(Round, VerifyNumber));
        Add("first", 1, 1, Apply(a => a[0] switch
        {
            string { Length: > 0 } s => s[0].ToString(),
            List<object?> { Count: > 0 } l => l[0],
            _ => null,
        }, null));
        Add("last", 1, 1, Apply(a => a[0] switch
        {
            string { Length: > 0 } s => s[^1].ToString(),
            List<object?> { Count: > 0 } l => l[^1],
            _ => null,
        }, null));
        Add("where", 3, 3, Where);
        Add("select", 3, 3, Select);
        Add("foreach", 3, 3, Select);
        Add("sortBy", 1, 2, SortBy);
        Add("take", 2, 2, (c, s, sub) => Slice(c, s, sub, take: true));
        Add("skip", 2, 2, (c, s, sub) => Slice(c, s, sub, take: false));
        Add("createArray", 0, Many, Apply(a => new List<object?>(a), null));
        Add("formatDateTime", 1, 3, Apply(FormatDateTime, null));
        Add("formatEpoch", 1, 3, Apply(FormatEpoch, null));
        Add("formatNumber", 2, 3, Apply(FormatNumber, null));
        Add("addDays", 2, 3, Apply(AddDays, null));
        Add("utcNow", 0, 1, UtcNow);
        return t;
    }

    private sealed class FunctionFailedException(string message) : Exception(message);

    private static Func<CallExpr, Scope, bool, EvalResult> Apply(Func<List<object?>, object?> func, Verify? verify) =>
        (call, scope, substitute) =>
        {
            var (args, error) = EvaluateChildren(call, scope, substitute, verify);
            if (error is not null)
            {
                return EvalResult.Fail(error);
            }

            try
            {
                return EvalResult.Ok(func(args));
            }
            catch (FunctionFailedException ex)
            {
                return EvalResult.Fail(ex.Message);
            }
        };

    // ComparisonEvaluator: arguments evaluated without substitution; a failing argument makes the result false.
    private static Func<CallExpr, Scope, bool, EvalResult> Comparison(Func<List<object?>, bool> func, Verify? verify) =>
        (call, scope, _) =>
        {
            var (args, error) = EvaluateChildren(call, scope, false, verify);
            if (error is not null)
            {
                return EvalResult.Ok(false);
            }

            try
            {
                return EvalResult.Ok(func(args));
            }
            catch (FunctionFailedException ex)
            {
                return new EvalResult(false, ex.Message);
            }
        };

    private static (List<object?> Args, string? Error) EvaluateChildren(CallExpr call, Scope scope, bool substitute, Verify? verify)
    {
        var args = new List<object?>(call.Args.Length);
        foreach (var child in call.Args)
        {
            var r = child.Evaluate(scope, substitute);
            if (r.Error is not null)
            {
                return (args, r.Error);
            }

            var error = verify?.Invoke(r.Value, child);
            if (error is not null)
            {
                return (args, error);
            }

            args.Add(r.Value);
        }

        return (args, null);
    }

    private static object? Sequence(List<object?> args, Func<object?, object?, object?> pair)
    {
        var soFar = args[0];
        for (var i = 1; i < args.Count; i++)
        {
            soFar = pair(soFar, args[i]);
        }

        return soFar;
    }

    private static string? VerifyNumber(object? value, Expr child) => JsValue.IsNumber(value) ? null : $"{child} is not a number.";

    private static string? VerifyInteger(object? value, Expr child) => JsValue.IsInteger(value) ? null : $"{child} is not a integer.";

    private static string? VerifyNotNull(object? value, Expr child) => JsValue.IsNullish(value) ? $"{child} is null." : null;

    private static string? VerifyStringOrUndefined(object? value, Expr child) =>
        value is string or null ? null : $"{child} is neither a string nor a null object.";

    private static string? VerifyNumberOrStringOrNull(object? value, Expr child) =>
        value is string or null || JsValue.IsNumber(value) ? null : $"{child} is neither a number nor string";

    private static string? VerifyContainer(object? value, Expr child) =>
        value is string or List<object?> or Dictionary<string, object?> or JsNull ? null : $"{child} must be a string, list, map or object.";

    private static string? VerifyContainerOrNull(object? value, Expr child) =>
        value is null || VerifyContainer(value, child) is null ? null : $"{child} must be a string, list, map or object.";

    private static string? VerifyNumberOrNumericList(object? value, Expr child)
    {
        if (JsValue.IsNumber(value))
        {
            return null;
        }

        return value is List<object?> list && list.All(JsValue.IsNumber) ? null : $"{child} is neither a list nor a number.";
    }

    private static string? VerifyDivisor(object? value, Expr child) => VerifyNumber(value, child);

    private static object? AddSequence(List<object?> args) => Sequence(args, (a, b) =>
    {
        if ((JsValue.IsNullish(a) && JsValue.IsNumber(b)) || (JsValue.IsNullish(b) && JsValue.IsNumber(a)))
        {
            throw new FunctionFailedException("Operator '+' or add cannot be applied to operands of type 'number' and null object.");
        }

        if (JsValue.IsNumber(a) && JsValue.IsNumber(b))
        {
            return (double)a! + (double)b!;
        }

        if (JsValue.IsNullish(a) && JsValue.IsNullish(b))
        {
            return string.Empty;
        }

        return (JsValue.IsNullish(a) ? string.Empty : JsValue.ToJsString(a)) + (JsValue.IsNullish(b) ? string.Empty : JsValue.ToJsString(b));
    });

    private static object? Divide(object? a, object? b)
    {
        var x = (double)a!;
        var y = (double)b!;
        if (y == 0)
        {
            throw new FunctionFailedException($"Cannot divide by 0 from {JsValue.NumberToString(y)}");
        }

        var result = x / y;
        return JsValue.IsInteger(x) && JsValue.IsInteger(y) ? Math.Floor(result) : result;
    }

    private static object? Mod(List<object?> args)
    {
        var y = (double)args[1]!;
        if (y == 0)
        {
            throw new FunctionFailedException("Cannot mod by 0.");
        }

        return (double)args[0]! % y;
    }

    private static int Compare(List<object?> args)
    {
        var (a, b) = (args[0], args[1]);
        if (JsValue.IsNumber(a) && JsValue.IsNumber(b))
        {
            return ((double)a!).CompareTo((double)b!);
        }

        if (a is string s && b is string t)
        {
            return Math.Sign(string.CompareOrdinal(s, t));
        }

        throw new FunctionFailedException($"{JsValue.ToJsString(a)} and {JsValue.ToJsString(b)} must be comparable.");
    }

    private static EvalResult Not(CallExpr call, Scope scope, bool substitute)
    {
        var r = call.Args[0].Evaluate(scope, false);
        return EvalResult.Ok(r.Error is not null || !JsValue.IsLogicTrue(r.Value));
    }

    private static EvalResult And(CallExpr call, Scope scope, bool substitute)
    {
        foreach (var child in call.Args)
        {
            var r = child.Evaluate(scope, false);
            if (r.Error is not null || !JsValue.IsLogicTrue(r.Value))
            {
                return EvalResult.Ok(false);
            }
        }

        return EvalResult.Ok(true);
    }

    private static EvalResult Or(CallExpr call, Scope scope, bool substitute)
    {
        foreach (var child in call.Args)
        {
            var r = child.Evaluate(scope, false);
            if (r.Error is null && JsValue.IsLogicTrue(r.Value))
            {
                return EvalResult.Ok(true);
            }
        }

        return EvalResult.Ok(false);
    }

    private static EvalResult If(CallExpr call, Scope scope, bool substitute)
    {
        var condition = call.Args[0].Evaluate(scope, false);
        return condition.Error is null && JsValue.IsLogicTrue(condition.Value)
            ? call.Args[1].Evaluate(scope, substitute)
            : call.Args[2].Evaluate(scope, substitute);
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null or JsNull => true,
        string s => s.Length == 0,
        List<object?> l => l.Count == 0,
        Dictionary<string, object?> d => d.Count == 0,
        _ => false,
    };

    private static object? Count(List<object?> args) => args[0] switch
    {
        string s => (double)s.Length,
        List<object?> l => (double)l.Count,
        Dictionary<string, object?> d => (double)d.Count,
        _ => throw new FunctionFailedException("Cannot convert undefined or null to object"),
    };

    private static string StringOrEmpty(object? value) => value as string ?? string.Empty;

    private static object? ConcatPair(object? a, object? b)
    {
        var aList = a as List<object?>;
        var bList = b as List<object?>;
        if (JsValue.IsNullish(a) && JsValue.IsNullish(b))
        {
            return null;
        }

        if (JsValue.IsNullish(a) && bList is not null)
        {
            return bList;
        }

        if (JsValue.IsNullish(b) && aList is not null)
        {
            return aList;
        }

        if (aList is not null && bList is not null)
        {
            return new List<object?>(aList.Concat(bList));
        }

        return JsValue.CommonStringify(a) + JsValue.CommonStringify(b);
    }

    private static object? Join(List<object?> args)
    {
        if (args[0] is not List<object?> list)
        {
            throw new FunctionFailedException($"{JsValue.ToJsString(args[0])} is not a list.");
        }

        string Sep(object? v) => v is null ? "," : JsValue.ToJsString(v);
        if (args.Count == 2)
        {
            return JsValue.JoinList(list, Sep(args[1]));
        }

        if (list.Count < 3)
        {
            return JsValue.JoinList(list, Sep(args[2]));
        }

        return JsValue.JoinList(list.GetRange(0, list.Count - 1), Sep(args[1])) + JsValue.ToJsString(args[2]) + JsValue.ToJsString(list[^1]);
    }

    private static object? Substring(List<object?> args)
    {
        if (args[0] is null)
        {
            return string.Empty;
        }

        if (args[0] is not string s)
        {
            throw new FunctionFailedException("substring: not a string");
        }

        if (!JsValue.IsInteger(args[1]) || (double)args[1]! < 0 || (double)args[1]! > s.Length)
        {
            throw new FunctionFailedException("substring: start out of range");
        }

        var start = (int)(double)args[1]!;
        var length = s.Length - start;
        if (args.Count == 3)
        {
            if (!JsValue.IsInteger(args[2]) || (double)args[2]! < 0 || start + (double)args[2]! > s.Length)
            {
                throw new FunctionFailedException("substring: length out of range");
            }

            length = (int)(double)args[2]!;
        }

        return s.Substring(start, length);
    }

    private static object? Replace(List<object?> args)
    {
        var old = StringOrEmpty(args[1]);
        if (old.Length == 0)
        {
            throw new FunctionFailedException("replace: the text to replace is empty");
        }

        return StringOrEmpty(args[0]).Replace(old, StringOrEmpty(args[2]), StringComparison.Ordinal);
    }

    private static object? Split(List<object?> args)
    {
        var text = StringOrEmpty(args[0]);
        var separator = args.Count > 1 ? StringOrEmpty(args[1]) : string.Empty;
        if (separator.Length == 0)
        {
            return text.Select(c => (object?)c.ToString()).ToList();
        }

        return text.Split(separator).Select(p => (object?)p).ToList();
    }

    private static EvalResult Contains(CallExpr call, Scope scope, bool substitute)
    {
        var (args, error) = EvaluateChildren(call, scope, substitute, null);
        if (error is not null)
        {
            // The reference swallows argument errors in contains.
            return EvalResult.Ok(false);
        }

        var found = args[0] switch
        {
            string s when args[1] is string t => s.Contains(t, StringComparison.Ordinal),
            List<object?> l => l.Any(item => JsValue.CommonEquals(item, args[1])),
            _ when args[1] is string key => Scope.AccessProperty(args[0], key) is not null,
            _ => false,
        };
        return EvalResult.Ok(found);
    }

    private static object? ToStringFunction(List<object?> args)
    {
        var value = args[0];
        if (value is string s)
        {
            return s;
        }

        if (JsValue.IsNumber(value))
        {
            var d = (double)value!;
            var text = JsValue.NumberToString(d);
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            var precision = dot < 0 ? 0 : text.Length - dot - 1;
            return FormatGrouped(d, precision);
        }

        return JsValue.CommonStringify(value);
    }

    // d3-format ",.Nf" in en-US: thousands separators and the Unicode minus sign.
    private static string FormatGrouped(double value, int precision)
    {
        var text = Math.Abs(value).ToString("N" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var isZero = text.All(c => c is '0' or '.' or ',');
        return value < 0 && !isZero ? "\u2212" + text : text;
    }

    private static object? ToInt(List<object?> args)
    {
        var value = args[0];
        if (value is string s)
        {
            return Scope.TryParseJsInt(s, out var i) ? (double)i : throw new FunctionFailedException($"parameter {s} is not a valid number string.");
        }

        return JsValue.IsNumber(value) ? Math.Truncate((double)value!) : null;
    }

    private static object? ToFloat(List<object?> args)
    {
        var value = args[0];
        if (value is string s)
        {
            var match = System.Text.RegularExpressions.Regex.Match(s.TrimStart(), @"^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|Infinity)");
            return match.Success
                ? double.Parse(match.Value.Replace("Infinity", "∞", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)
                : throw new FunctionFailedException($"parameter {s} is not a valid number string.");
        }

        return JsValue.IsNumber(value) ? value : null;
    }

    private static bool ToBool(List<object?> args)
    {
        var value = args[0];
        if (JsValue.IsNumber(value))
        {
            return (double)value! != 0;
        }

        if (JsValue.ToJsString(value).Contains("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return JsValue.IsLogicTrue(value);
    }

    private static object? ParseJson(List<object?> args)
    {
        if (args[0] is not string s)
        {
            throw new FunctionFailedException("json expects a string");
        }

        try
        {
            return JsValue.FromNode(JsonText.Parse(s.Trim()));
        }
        catch (JsonTextException ex)
        {
            throw new FunctionFailedException(ex.Message);
        }
    }

    private static double Extreme(List<object?> args, Func<double, double, double> pick, double seed)
    {
        var result = seed;
        foreach (var arg in args)
        {
            if (arg is List<object?> list)
            {
                foreach (var v in list)
                {
                    result = pick(result, (double)v!);
                }
            }
            else
            {
                result = pick(result, (double)arg!);
            }
        }

        return result;
    }

    private static object? Round(List<object?> args)
    {
        var digits = 0d;
        if (args.Count == 2)
        {
            if (!JsValue.IsInteger(args[1]) || (double)args[1]! < 0 || (double)args[1]! > 15)
            {
                throw new FunctionFailedException("The second parameter must be an integer between 0 and 15");
            }

            digits = (double)args[1]!;
        }

        var factor = Math.Pow(10, digits);
        return JsRound((double)args[0]! * factor) / factor;
    }

    // JavaScript Math.round rounds halves towards +Infinity.
    private static double JsRound(double x)
    {
        var floor = Math.Floor(x);
        return x - floor >= 0.5 ? floor + 1 : floor;
    }

    private static List<object?>? ToList(object? instance)
    {
        if (instance is List<object?> list)
        {
            return list;
        }

        if (instance is Dictionary<string, object?> dict)
        {
            return dict.Select(kv => (object?)new Dictionary<string, object?> { ["key"] = kv.Key, ["value"] = kv.Value }).ToList();
        }

        return null;
    }

    private static string LambdaName(CallExpr call) =>
        call.Args[1] is PathExpr { IsSimpleIdentifier: true } p ? p.Name! : throw new FunctionFailedException("Second parameter is not an identifier");

    private static EvalResult Where(CallExpr call, Scope scope, bool substitute)
    {
        var instance = call.Args[0].Evaluate(scope, substitute);
        if (instance.Error is not null)
        {
            return instance;
        }

        var list = ToList(instance.Value);
        if (list is null || call.Args[1] is not PathExpr { IsSimpleIdentifier: true })
        {
            return EvalResult.Fail($"{call.Args[0]} is not a collection or structure object to run Where");
        }

        var name = LambdaName(call);
        var result = new List<object?>();
        foreach (var item in list)
        {
            scope.PushLocal(name, item);
            var r = call.Args[2].Evaluate(scope, substitute);
            scope.PopLocal();
            if (r.Error is null && JsValue.IsLogicTrue(r.Value))
            {
                result.Add(item);
            }
        }

        if (instance.Value is Dictionary<string, object?>)
        {
            var obj = new Dictionary<string, object?>();
            foreach (Dictionary<string, object?> kv in result.Cast<Dictionary<string, object?>>())
            {
                obj[(string)kv["key"]!] = kv["value"];
            }

            return EvalResult.Ok(obj);
        }

        return EvalResult.Ok(result);
    }

    private static EvalResult Select(CallExpr call, Scope scope, bool substitute)
    {
        var instance = call.Args[0].Evaluate(scope, substitute);
        if (instance.Error is not null)
        {
            return instance;
        }

        if (!JsValue.IsTruthy(instance.Value))
        {
            return EvalResult.Fail($"'{call.Args[0]}' evaluated to null.");
        }

        var list = ToList(instance.Value);
        if (list is null || call.Args[1] is not PathExpr { IsSimpleIdentifier: true })
        {
            return EvalResult.Fail($"{call.Args[0]} is not a collection or structure object to run Foreach");
        }

        var name = LambdaName(call);
        var result = new List<object?>(list.Count);
        foreach (var item in list)
        {
            scope.PushLocal(name, item);
            var r = call.Args[2].Evaluate(scope, substitute);
            scope.PopLocal();
            if (r.Error is not null)
            {
                return r;
            }

            result.Add(r.Value);
        }

        return EvalResult.Ok(result);
    }

    private static EvalResult SortBy(CallExpr call, Scope scope, bool substitute)
    {
        var instance = call.Args[0].Evaluate(scope, substitute);
        if (instance.Error is not null)
        {
            return instance;
        }

        if (instance.Value is not List<object?> list)
        {
            return EvalResult.Fail($"{call.Args[0]} is not an array");
        }

        var copy = new List<object?>(list);
        if (call.Args.Length == 1)
        {
            // Array.prototype.sort without a comparer orders by string value and keeps undefined last.
            return EvalResult.Ok(copy.OrderBy(v => v is null ? 1 : 0).ThenBy(v => JsValue.ToJsString(v), StringComparer.Ordinal).ToList());
        }

        var key = call.Args[1].Evaluate(scope, substitute);
        if (key.Error is not null)
        {
            return key;
        }

        var property = key.Value as string ?? string.Empty;
        var sorted = copy.OrderBy(v => v is Dictionary<string, object?> d ? d.GetValueOrDefault(property) : null, JsComparer.Instance).ToList();
        return EvalResult.Ok(sorted);
    }

    private sealed class JsComparer : IComparer<object?>
    {
        public static readonly JsComparer Instance = new();

        public int Compare(object? x, object? y)
        {
            if (x is double a && y is double b)
            {
                return a.CompareTo(b);
            }

            if (x is string s && y is string t)
            {
                return Math.Sign(string.CompareOrdinal(s, t));
            }

            return 0;
        }
    }

    private static EvalResult Slice(CallExpr call, Scope scope, bool substitute, bool take)
    {
        var instance = call.Args[0].Evaluate(scope, substitute);
        if (instance.Error is not null)
        {
            return instance;
        }

        if (instance.Value is not List<object?> && !(take && instance.Value is string))
        {
            return EvalResult.Fail($"{call.Args[0]} is not array.");
        }

        var count = call.Args[1].Evaluate(scope, substitute);
        if (count.Error is not null)
        {
            return count;
        }

        if (!JsValue.IsInteger(count.Value))
        {
            return EvalResult.Fail($"{call.Args[1]} is not an integer.");
        }

        var n = (int)Math.Max(0, Math.Min((double)count.Value!, int.MaxValue));
        if (instance.Value is string s)
        {
            return EvalResult.Ok(s[..Math.Min(n, s.Length)]);
        }

        var list = (List<object?>)instance.Value!;
        n = Math.Min(n, list.Count);
        return EvalResult.Ok(take ? list.GetRange(0, n) : list.GetRange(n, list.Count - n));
    }

    private static DateTime ParseTimestamp(object? value)
    {
        if (value is not string s
            || !DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            throw new FunctionFailedException($"{JsValue.ToJsString(value)} is not a valid datetime string.");
        }

        return parsed;
    }

    private static string FormatDate(DateTime value, object? format) => format is string { Length: > 0 } f
        ? new DateTimeOffset(value, TimeSpan.Zero).ToString(ToOffsetFormat(f), CultureInfo.InvariantCulture)
        : value.ToString(DefaultDateFormat, CultureInfo.InvariantCulture);

    // The reference hands C# formats to dayjs, where an unquoted 'Z' is the UTC offset (+00:00).
    private static string ToOffsetFormat(string format)
    {
        var sb = new StringBuilder(format.Length + 4);
        char? quote = null;
        foreach (var c in format)
        {
            if (quote is null && c is '\'' or '"')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }

            sb.Append(quote is null && c == 'Z' ? "zzz" : c.ToString());
        }

        return sb.ToString();
    }

    private static object? FormatEpoch(List<object?> args)
    {
        if (!JsValue.IsNumber(args[0]))
        {
            throw new FunctionFailedException($"formatEpoch first argument {JsValue.ToJsString(args[0])} must be a number");
        }

        var time = DateTime.UnixEpoch.AddMilliseconds(Math.Truncate((double)args[0]! * 1000));
        return FormatDate(time, args.Count > 1 ? args[1] : null);
    }

    private static object? FormatDateTime(List<object?> args) => FormatDate(ParseTimestamp(args[0]), args.Count > 1 ? args[1] : null);

    private static object? AddDays(List<object?> args)
    {
        var timestamp = ParseTimestamp(args[0]);
        if (FormatDate(timestamp, null) != (string?)args[0])
        {
            throw new FunctionFailedException($"{args[0]} is not a ISO format datetime string.");
        }

        if (!JsValue.IsInteger(args[1]))
        {
            throw new FunctionFailedException($"{JsValue.ToJsString(args[1])} is not an integer.");
        }

        return FormatDate(timestamp.AddDays((double)args[1]!), args.Count > 2 ? args[2] : null);
    }

    private static object? FormatNumber(List<object?> args)
    {
        if (!JsValue.IsNumber(args[0]) || !JsValue.IsInteger(args[1]) || (double)args[1]! < 0)
        {
            throw new FunctionFailedException("formatNumber expects a number and a precision");
        }

        var precision = (int)(double)args[1]!;
        var factor = Math.Pow(10, precision);
        return FormatGrouped(JsRound((double)args[0]! * factor) / factor, precision);
    }

    private static EvalResult UtcNow(CallExpr call, Scope scope, bool substitute)
    {
        var (args, error) = EvaluateChildren(call, scope, substitute, null);
        if (error is not null)
        {
            return EvalResult.Fail(error);
        }

        var now = scope.TimeProvider.GetUtcNow().UtcDateTime;
        return EvalResult.Ok(FormatDate(now, args.Count > 0 ? args[0] : null));
    }
}
