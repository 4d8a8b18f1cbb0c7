namespace Dockerless.Unpacking;

/// <summary>Counts what an unpack applies and lists what it skips, until it becomes an <see cref="UnpackResult"/>.</summary>
internal sealed class UnpackTally
{
    private readonly List<SkippedEntry> _skipped = [];

    public int Layers { get; set; }
    public long Files { get; set; }
    public long Directories { get; set; }
    public long SymbolicLinks { get; set; }
    public long HardLinks { get; set; }
    public long SpecialFiles { get; set; }
    public long Whiteouts { get; set; }
    public long SkippedCount { get; private set; }

    /// <summary>Records something not written; only the first <see cref="UnpackResult.MaxListedSkipped"/> are kept, so memory stays bounded.</summary>
    public void Skip(string layer, string path, SkipReason reason, string detail)
    {
        SkippedCount++;
        if (_skipped.Count < UnpackResult.MaxListedSkipped) _skipped.Add(new SkippedEntry(layer, path, reason, detail));
    }

    public UnpackResult ToResult(string directory, bool rootless) => new()
    {
        Directory = directory,
        Rootless = rootless,
        Layers = Layers,
        Files = Files,
        Directories = Directories,
        SymbolicLinks = SymbolicLinks,
        HardLinks = HardLinks,
        SpecialFiles = SpecialFiles,
        Whiteouts = Whiteouts,
        SkippedCount = SkippedCount,
        Skipped = _skipped.ToArray(),
    };
}
