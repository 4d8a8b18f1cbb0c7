using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// A Go <c>time.Duration</c> as a document holds it: whole nanoseconds, which
/// <see cref="TimeSpan"/> cuts to 100 ns. Holding the nanoseconds keeps a duration nobody changed
/// byte for byte when the rest of the config is edited.
/// </summary>
[JsonConverter(typeof(GoDurationJsonConverter))]
internal readonly record struct GoDuration(long Nanoseconds)
{
    /// <summary>The duration as a <see cref="TimeSpan"/>, cut to whole 100 ns ticks.</summary>
    public TimeSpan Value => TimeSpan.FromTicks(Nanoseconds / TimeSpan.NanosecondsPerTick);

    /// <summary>The duration to hold for <paramref name="value"/>: <paramref name="held"/> when it is that duration already (its nanoseconds may say more), else a new one.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is beyond the ±292 years a Go duration holds.</exception>
    public static GoDuration? Keep(GoDuration? held, TimeSpan? value)
    {
        if (value is not { } duration) return null;
        if (held is { } same && same.Value == duration) return same;
        const long limit = long.MaxValue / TimeSpan.NanosecondsPerTick;
        if (duration.Ticks is > limit or < -limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), duration, "a Go duration holds at most about 292 years of nanoseconds");
        }
        return new GoDuration(duration.Ticks * TimeSpan.NanosecondsPerTick);
    }
}
