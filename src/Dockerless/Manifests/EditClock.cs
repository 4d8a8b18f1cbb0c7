namespace Dockerless.Manifests;

/// <summary>
/// Stamps the edits of image configurations, in the order they happen, across all of them. Each
/// part of a configuration keeps the stamp of its last edit; a configuration whose latest stamp is
/// later than the clock read when it was loaded has been edited since, and one whose latest stamp
/// is unchanged has not, without serializing it to find out. A part shared by two configurations
/// (a history entry added to both) counts for both.
/// </summary>
internal static class EditClock
{
    private static long _last;

    /// <summary>The stamp of the latest edit anywhere; every later edit gets a greater one.</summary>
    public static long Now => Interlocked.Read(ref _last);

    /// <summary>A new stamp, for an edit made now.</summary>
    public static long Tick() => Interlocked.Increment(ref _last);

    /// <summary>The latest of <paramref name="stamps"/>.</summary>
    public static long Latest(params ReadOnlySpan<long> stamps)
    {
        var latest = 0L;
        foreach (var stamp in stamps) latest = Math.Max(latest, stamp);
        return latest;
    }
}
