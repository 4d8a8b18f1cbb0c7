namespace Dockerless.Cli;

/// <summary>The exit codes scripts rely on.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>A failure of dockerless itself during <c>run</c>, as docker's own (the container's code is used otherwise).</summary>
    public const int RunFailure = 125;

    /// <summary>Interrupted (SIGINT): 128 + the signal's number, as shells report a process a signal ended.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated (SIGTERM), likewise.</summary>
    public const int Terminated = 143;
}
