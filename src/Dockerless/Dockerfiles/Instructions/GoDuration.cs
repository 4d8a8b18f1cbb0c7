using System.Globalization;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Durations written as Go's <c>time.ParseDuration</c> reads them (<c>30s</c>, <c>1m30s</c>,
/// <c>1.5h</c>, <c>250ms</c>): a signed run of numbers, each with an optional fraction and a unit.
/// </summary>
internal static class GoDuration
{
    private static readonly (string Unit, long Nanoseconds)[] Units =
    [
        ("ns", 1), ("us", 1_000), ("\u00b5s", 1_000), ("\u03bcs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ];

    /// <summary>The nanoseconds <paramref name="text"/> stands for; null with Go's error in <paramref name="error"/> when it is not a duration.</summary>
    public static long? Parse(string text, out string? error)
    {
        error = $"time: invalid duration {GoStrings.Quote(text)}";
        var s = text.AsSpan();
        var negative = s.Length > 0 && s[0] == '-';
        if (s.Length > 0 && s[0] is '-' or '+') s = s[1..];
        if (s is "0")
        {
            error = null;
            return 0;
        }
        if (s.IsEmpty) return null;
        decimal total = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.')) digits++;
            var number = s[..digits];
            if (number.Count('.') > 1 || number is "." || number.IsEmpty) return null;
            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength])) unitLength++;
            var unit = s[..unitLength].ToString();
            if (unit.Length == 0)
            {
                error = $"time: missing unit in duration {GoStrings.Quote(text)}";
                return null;
            }
            var scale = Array.Find(Units, u => u.Unit == unit).Nanoseconds;
            if (scale == 0)
            {
                error = $"time: unknown unit {GoStrings.Quote(unit)} in duration {GoStrings.Quote(text)}";
                return null;
            }
            s = s[unitLength..];
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return null;
            // Go drops the fraction's digits past a nanosecond.
            total += decimal.Truncate(value * scale);
            if (total > long.MaxValue) return null;
        }
        error = null;
        return (long)(negative ? -total : total);
    }
}
