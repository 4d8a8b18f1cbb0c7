namespace Dockerless.Dockerfiles;

/// <summary><c>HEALTHCHECK [options] CMD command</c> or <c>HEALTHCHECK NONE</c>.</summary>
/// <param name="node">The parsed instruction.</param>
/// <param name="test">The test, as the image config stores it.</param>
/// <param name="intervalNanoseconds">The <c>--interval</c>, 0 when not given.</param>
/// <param name="timeoutNanoseconds">The <c>--timeout</c>, 0 when not given.</param>
/// <param name="startPeriodNanoseconds">The <c>--start-period</c>, 0 when not given.</param>
/// <param name="startIntervalNanoseconds">The <c>--start-interval</c>, 0 when not given.</param>
/// <param name="retries">The <c>--retries</c>, 0 when not given.</param>
public sealed class HealthcheckInstruction(
    DockerfileNode node,
    IReadOnlyList<string> test,
    long intervalNanoseconds,
    long timeoutNanoseconds,
    long startPeriodNanoseconds,
    long startIntervalNanoseconds,
    int retries) : Instruction(node)
{
    /// <summary><c>["NONE"]</c>, <c>["CMD", exec...]</c> or <c>["CMD-SHELL", command]</c>, as the image config's Healthcheck.Test.</summary>
    public IReadOnlyList<string> Test { get; } = test;

    /// <summary>Whether this is <c>HEALTHCHECK NONE</c>, which turns off a check inherited from the base.</summary>
    public bool IsNone => Test is ["NONE"];

    /// <summary>The time between checks in nanoseconds (the config's unit), 0 when not given.</summary>
    public long IntervalNanoseconds { get; } = intervalNanoseconds;

    /// <summary>How long a check may take in nanoseconds, 0 when not given.</summary>
    public long TimeoutNanoseconds { get; } = timeoutNanoseconds;

    /// <summary>The start period in nanoseconds, 0 when not given.</summary>
    public long StartPeriodNanoseconds { get; } = startPeriodNanoseconds;

    /// <summary>The time between checks during the start period in nanoseconds, 0 when not given.</summary>
    public long StartIntervalNanoseconds { get; } = startIntervalNanoseconds;

    /// <summary>The failures in a row that make the container unhealthy, 0 when not given.</summary>
    public int Retries { get; } = retries;
}
