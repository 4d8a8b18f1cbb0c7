namespace Dockerless.Build.Publishing;

/// <summary>Where a publish says what it did: the MSBuild log, through the task.</summary>
public interface IPublishLog
{
    /// <summary>A message the build shows at normal verbosity (what was pushed, the digest).</summary>
    void Message(string text);

    /// <summary>A message shown at detailed verbosity (each layer).</summary>
    void Detail(string text);

    /// <summary>A warning with its DLB code.</summary>
    void Warning(string code, string text);
}
