using System.Globalization;
using System.Text;

namespace Dockerless.Building;

/// <summary>
/// The <c>created_by</c> texts BuildKit writes into history, which print Go values with
/// <c>%v</c> and <c>%q</c> (<c>CMD ["a" "b"]</c>, <c>VOLUME [/data]</c>, <c>EXPOSE map[80/tcp:{}]</c>).
/// </summary>
internal static class HistoryText
{
    /// <summary>The comment BuildKit puts on every entry of a Dockerfile build.</summary>
    public const string Comment = "buildkit.dockerfile.v0";

    /// <summary>Go's <c>%q</c> of a string slice: <c>["a" "b c"]</c>.</summary>
    public static string QuotedList(IEnumerable<string> items) => "[" + string.Join(' ', items.Select(GoStrings.Quote)) + "]";

    /// <summary>Go's <c>%v</c> of a string slice: <c>[a b c]</c>.</summary>
    public static string PlainList(IEnumerable<string> items) => "[" + string.Join(' ', items) + "]";

    /// <summary>Go's <c>%v</c> of a set (a map to empty structs), keys sorted: <c>map[53/udp:{} 80/tcp:{}]</c>.</summary>
    public static string Set(IEnumerable<string> keys) => "map[" + string.Join(' ', keys.Order(StringComparer.Ordinal).Select(k => k + ":{}")) + "]";

    /// <summary>Go's <c>%q</c> of docker's 20.10 <c>*HealthConfig</c>: <c>&amp;{["CMD-SHELL" "x"] "5s" "0s" "0s" '\x00'}</c>.</summary>
    public static string Healthcheck(HealthcheckInstruction check)
    {
        var text = new StringBuilder("&{").Append(QuotedList(check.Test));
        foreach (var nanoseconds in new[] { check.IntervalNanoseconds, check.TimeoutNanoseconds, check.StartPeriodNanoseconds })
        {
            text.Append(" \"").Append(Duration(nanoseconds)).Append('"');
        }
        return text.Append(' ').Append(Rune(check.Retries)).Append('}').ToString();
    }

    /// <summary>Go's <c>time.Duration.String</c>: <c>0s</c>, <c>1.5s</c>, <c>1m30s</c>, <c>250ms</c>, <c>2h0m0s</c>.</summary>
    public static string Duration(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        var sign = nanoseconds < 0 ? "-" : "";
        var value = (ulong)Math.Abs(nanoseconds);
        if (value < 1_000_000_000)
        {
            var (unit, scale) = value < 1_000 ? ("ns", 1UL) : value < 1_000_000 ? ("\u00b5s", 1_000UL) : ("ms", 1_000_000UL);
            return sign + Fraction(value, scale) + unit;
        }
        var hours = value / 3_600_000_000_000;
        var minutes = value / 60_000_000_000 % 60;
        var seconds = Fraction(value % 60_000_000_000, 1_000_000_000) + "s";
        if (hours > 0) return string.Create(CultureInfo.InvariantCulture, $"{sign}{hours}h{minutes}m{seconds}");
        return minutes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes}m{seconds}") : sign + seconds;
    }

    /// <summary><paramref name="value"/> / <paramref name="scale"/> with the fraction's trailing zeros cut, as Go prints it.</summary>
    private static string Fraction(ulong value, ulong scale)
    {
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var rest = value % scale;
        if (rest == 0) return whole;
        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }

    /// <summary>Go's <c>%q</c> of an int: a quoted character (<c>'\x03'</c>).</summary>
    private static string Rune(int value) => value switch
    {
        < 0x20 or 0x7f => string.Create(CultureInfo.InvariantCulture, $"'\\x{value:x2}'"),
        '\'' => @"'\''",
        '\\' => @"'\\'",
        < 0x7f => $"'{(char)value}'",
        _ => "'" + char.ConvertFromUtf32(value) + "'",
    };
}
