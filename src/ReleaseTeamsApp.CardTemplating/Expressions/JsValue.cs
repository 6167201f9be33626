using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReleaseTeamsApp.CardTemplating.Expressions;

/// <summary>JSON <c>null</c>; C# <c>null</c> stands for JavaScript <c>undefined</c> because the reference engine tells them apart.</summary>
internal sealed class JsNull
{
    public static readonly JsNull Value = new();

    private JsNull()
    {
    }

    public override string ToString() => "null";
}

/// <summary>The value model of the reference engine: double, string, bool, List, Dictionary, JsNull, or null for undefined.</summary>
internal static class JsValue
{
    private const double MaxSafeInteger = 9007199254740991d;
    private const double NumberEpsilon = 2.220446049250313e-16;

    public static bool IsNullish(object? value) => value is null or JsNull;

    public static bool IsNumber(object? value) => value is double d && !double.IsNaN(d);

    public static bool IsInteger(object? value) => value is double d && double.IsFinite(d) && Math.Floor(d) == d;

    // JavaScript truthiness, used where the reference relies on `if (x)`.
    public static bool IsTruthy(object? value) => value switch
    {
        null or JsNull => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };

    // AEL InternalFunctionUtils.isLogicTrue: booleans as they are, null/undefined false, anything else true.
    public static bool IsLogicTrue(object? value) => value switch
    {
        bool b => b,
        null or JsNull => false,
        _ => true,
    };

    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsNull.Value;
            case JsonObject obj:
                var dict = new Dictionary<string, object?>(obj.Count);
                foreach (var (key, child) in obj)
                {
                    dict[key] = FromNode(child);
                }

                return dict;
            case JsonArray arr:
                var list = new List<object?>(arr.Count);
                foreach (var child in arr)
                {
                    list.Add(FromNode(child));
                }

                return list;
            default:
                var element = node.GetValueKind();
                return element switch
                {
                    JsonValueKind.String => node.GetValue<string>(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => ToDouble((JsonValue)node),
                    _ => JsNull.Value,
                };
        }
    }

    // Nodes built from CLR values (int, decimal, ...) only convert to their own type, so fall back to the JSON text.
    private static double ToDouble(JsonValue value) => value.TryGetValue<double>(out var d)
        ? d
        : double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static JsonNode? ToNode(object? value) => value switch
    {
        null or JsNull => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => NumberToNode(d),
        List<object?> list => ListToNode(list),
        Dictionary<string, object?> dict => DictToNode(dict),
        _ => JsonValue.Create(value.ToString()),
    };

    private static JsonNode? NumberToNode(double d)
    {
        if (!double.IsFinite(d))
        {
            return null;
        }

        if (Math.Floor(d) == d && Math.Abs(d) <= MaxSafeInteger)
        {
            return JsonValue.Create((long)d);
        }

        return JsonNode.Parse(NumberToString(d));
    }

    private static JsonArray ListToNode(List<object?> list)
    {
        var arr = new JsonArray();
        foreach (var item in list)
        {
            arr.Add(ToNode(item));
        }

        return arr;
    }

    private static JsonObject DictToNode(Dictionary<string, object?> dict)
    {
        var obj = new JsonObject();
        foreach (var (key, item) in dict)
        {
            // JSON.stringify drops undefined properties.
            if (item is not null)
            {
                obj[key] = ToNode(item);
            }
        }

        return obj;
    }

    /// <summary>JavaScript Number.prototype.toString().</summary>
    public static string NumberToString(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == 0)
        {
            return "0";
        }

        // Beyond 2^53 integers go through the shortest round-trip digits below, as JavaScript does (decimal rounds to 15 digits).
        if (Math.Floor(d) == d && Math.Abs(d) <= MaxSafeInteger)
        {
            return ((long)d).ToString(CultureInfo.InvariantCulture);
        }

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }

        var exponent = 0;
        var ePos = r.IndexOf('E', StringComparison.Ordinal);
        if (ePos >= 0)
        {
            exponent = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? r[..dot] : r;
        var fracPart = dot >= 0 ? r[(dot + 1)..] : string.Empty;
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        digits = digits.TrimEnd('0');
        var n = intPart.Length + exponent - leadingZeros;
        var k = digits.Length;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (n > 0 && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (n > -6 && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1));
        }

        return sb.ToString();
    }

    /// <summary>JavaScript String(value) for the values the engine produces.</summary>
    public static string ToJsString(object? value) => value switch
    {
        null => "undefined",
        JsNull => "null",
        string s => s,
        bool b => b ? "true" : "false",
        double d => NumberToString(d),
        List<object?> list => JoinList(list, ","),
        Dictionary<string, object?> => "[object Object]",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>JavaScript Array.prototype.join.</summary>
    public static string JoinList(List<object?> list, string separator)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            if (!IsNullish(list[i]))
            {
                sb.Append(ToJsString(list[i]));
            }
        }

        return sb.ToString();
    }

    /// <summary>JSON.stringify.</summary>
    public static string Stringify(object? value) => value switch
    {
        null => "undefined",
        _ => ToNode(value)?.ToJsonString(JsonOptions) ?? "null",
    };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>AEL commonStringify: JSON for objects with outer quotes trimmed, toString otherwise.</summary>
    public static string CommonStringify(object? value) => value switch
    {
        null or JsNull => string.Empty,
        List<object?> or Dictionary<string, object?> => Stringify(value).Trim('\'', '"'),
        _ => ToJsString(value),
    };

    /// <summary>AEL FunctionUtils.commonEquals.</summary>
    public static bool CommonEquals(object? a, object? b)
    {
        if (IsNullish(a) || IsNullish(b))
        {
            return IsNullish(a) && IsNullish(b);
        }

        if (a is List<object?> la && b is List<object?> lb)
        {
            if (la.Count != lb.Count)
            {
                return false;
            }

            for (var i = 0; i < la.Count; i++)
            {
                if (!CommonEquals(la[i], lb[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is Dictionary<string, object?> da && b is Dictionary<string, object?> db)
        {
            if (da.Count != db.Count)
            {
                return false;
            }

            foreach (var (key, value) in da)
            {
                if (!db.TryGetValue(key, out var other) || !DeepEqual(value, other))
                {
                    return false;
                }
            }

            return true;
        }

        if (a is double x && b is double y)
        {
            return x == y || Math.Abs(x - y) < NumberEpsilon;
        }

        return a switch
        {
            string s => b is string t && string.Equals(s, t, StringComparison.Ordinal),
            bool p => b is bool q && p == q,
            _ => ReferenceEquals(a, b),
        };
    }

    // lodash isEqual semantics for nested values inside objects.
    private static bool DeepEqual(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is JsNull || b is JsNull)
        {
            return a is JsNull && b is JsNull;
        }

        if (a is double x && b is double y)
        {
            return x == y;
        }

        return CommonEquals(a, b);
    }
}
