namespace Dockerless.Manifests;

/// <summary>A collection of a configuration that stamps each change made through it (<see cref="EditClock"/>).</summary>
internal abstract class TrackedCollection
{
    /// <summary>The stamp of the last change made through this collection; 0 when none was.</summary>
    public long LastEdit { get; private set; }

    /// <summary>Stamps a change made now.</summary>
    protected void Edited() => LastEdit = EditClock.Tick();

    /// <summary>Stamps a change when <paramref name="changed"/>, and gives it back.</summary>
    protected bool Edited(bool changed)
    {
        if (changed) Edited();
        return changed;
    }
}
