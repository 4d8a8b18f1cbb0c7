using System.Globalization;

namespace Dockerless.Manifests;

/// <summary>
/// A time as a document holds it: the value, and its RFC 3339 text. Go writes nanoseconds
/// (<c>…32.476639276Z</c>), which <see cref="DateTimeOffset"/> cuts to 100 ns; writing the text
/// back keeps a time nobody changed byte for byte when the rest of the config is edited, as crane
/// and umoci keep it.
/// </summary>
internal readonly record struct Rfc3339Time(DateTimeOffset Value, string Text)
{
    /// <summary>A new time, written as Go and every image tool write one: UTC with a <c>Z</c>, fractions only when there are any.</summary>
    public static Rfc3339Time Of(DateTimeOffset value)
        => new(value, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));

    /// <summary>The time to hold for <paramref name="value"/>: <paramref name="held"/> when it is that instant already (its text may say more), else a new one.</summary>
    public static Rfc3339Time? Keep(Rfc3339Time? held, DateTimeOffset? value)
        => value is not { } instant ? null : held is { } same && same.Value == instant ? same : Of(instant);
}
