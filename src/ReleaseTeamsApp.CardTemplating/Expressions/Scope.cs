namespace ReleaseTeamsApp.CardTemplating.Expressions;

/// <summary>The memory an expression reads: the template keywords plus lambda variables (AEL TemplateObjectMemory over StackedMemory).</summary>
internal sealed class Scope
{
    private readonly List<KeyValuePair<string, object?>> _locals = [];

    public Scope(object? root, object? host, TimeProvider timeProvider)
    {
        Root = root;
        Host = host;
        TimeProvider = timeProvider;
    }

    public object? Root { get; }

    public object? Host { get; }

    public TimeProvider TimeProvider { get; }

    // C# null means "not set", and then $data falls back to $root like the reference.
    public object? DataOverride { get; set; }

    public object? Index { get; set; }

    public object? Data => DataOverride ?? Root;

    public void PushLocal(string name, object? value) => _locals.Add(new(name, value));

    public void PopLocal() => _locals.RemoveAt(_locals.Count - 1);

    /// <summary>Resolves a path such as <c>a.b[0]['c']</c>; undefined (C# null) when any step is missing.</summary>
    public object? GetValue(string[] parts)
    {
        if (parts.Length == 0)
        {
            return null;
        }

        for (var i = _locals.Count - 1; i >= 0; i--)
        {
            var local = _locals[i];
            object? value = null;
            if (string.Equals(local.Key, parts[0], StringComparison.OrdinalIgnoreCase))
            {
                value = Walk(local.Value, parts, 1);
            }

            if (value is not null)
            {
                return value;
            }
        }

        if (parts[0].Length > 0 && parts[0][0] == '$')
        {
            var start = Keyword(parts[0]);
            return start.Found ? Walk(start.Value, parts, 1) : null;
        }

        return Walk(Data, parts, 0);
    }

    private (bool Found, object? Value) Keyword(string name)
    {
        if (name.Equals("$data", StringComparison.OrdinalIgnoreCase))
        {
            return (true, Data);
        }

        if (name.Equals("$root", StringComparison.OrdinalIgnoreCase))
        {
            return (true, Root);
        }

        if (name.Equals("$index", StringComparison.OrdinalIgnoreCase))
        {
            return (true, Index);
        }

        if (name.Equals("$host", StringComparison.OrdinalIgnoreCase))
        {
            return (true, Host);
        }

        if (name.Equals("$_acTemplateVersion", StringComparison.OrdinalIgnoreCase))
        {
            return (true, TemplateVersion);
        }

        return (false, null);
    }

    private static readonly Dictionary<string, object?> TemplateVersion = new()
    {
        ["major"] = 2d,
        ["minor"] = 3d,
        ["patch"] = 1d,
        ["suffix"] = string.Empty,
    };

    public static object? Walk(object? current, string[] parts, int start)
    {
        if (start >= parts.Length)
        {
            return current;
        }

        object? value = null;
        for (var i = start; i < parts.Length; i++)
        {
            var part = parts[i];
            if (current is List<object?> list && TryParseJsInt(part, out var index))
            {
                if (index < 0 || index >= list.Count)
                {
                    return null;
                }

                value = list[index];
            }
            else
            {
                value = AccessProperty(current, part);
            }

            current = value;
        }

        return value;
    }

    /// <summary>AEL accessProperty: first key equal ignoring case; falsy instances yield undefined.</summary>
    public static object? AccessProperty(object? instance, string property)
    {
        switch (instance)
        {
            case Dictionary<string, object?> dict:
                if (dict.Count == 0)
                {
                    return null;
                }

                foreach (var (key, value) in dict)
                {
                    if (string.Equals(key, property, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }

                return null;
            case List<object?> list:
                return IsCanonicalIndex(property, out var i) && i < list.Count ? list[i] : null;
            case string s:
                return IsCanonicalIndex(property, out var j) && j < s.Length ? s[j].ToString() : null;
            default:
                return null;
        }
    }

    private static bool IsCanonicalIndex(string text, out int index) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)
        && index.ToString(System.Globalization.CultureInfo.InvariantCulture) == text;

    // JavaScript parseInt: leading whitespace, optional sign, leading digits.
    public static bool TryParseJsInt(string text, out int value)
    {
        value = 0;
        var span = text.AsSpan().TrimStart();
        var negative = false;
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        var digits = 0;
        long acc = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
        {
            acc = Math.Min(acc * 10 + (span[digits] - '0'), int.MaxValue);
            digits++;
        }

        if (digits == 0)
        {
            return false;
        }

        value = (int)(negative ? -acc : acc);
        return true;
    }
}
