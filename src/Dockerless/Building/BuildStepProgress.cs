namespace Dockerless.Building;

/// <summary>One step of a build as BuildKit's progress shows it: <c>[stage 2/5] COPY a /b</c>, then done, cached or failed, with its time.</summary>
/// <param name="Stage">The stage's name (or index), as BuildKit prints it: <c>stage-0</c>, <c>build</c>.</param>
/// <param name="Step">The step's number within its stage, from 1 (the FROM).</param>
/// <param name="Steps">The stage's number of steps.</param>
/// <param name="Instruction">The instruction as written on one line.</param>
/// <param name="State">Where the step is.</param>
/// <param name="Elapsed">How long it took; zero while it runs.</param>
/// <param name="Platform">The platform it is built for.</param>
public sealed record BuildStepProgress(string Stage, int Step, int Steps, string Instruction, BuildStepState State, TimeSpan Elapsed, Platform Platform)
{
    /// <summary>The line BuildKit prints: <c>#3 [build 2/4] COPY a /b</c> then <c>DONE 0.1s</c>, <c>CACHED</c> or <c>ERROR 0.1s</c>.</summary>
    public override string ToString()
    {
        var head = $"[{Stage} {Step}/{Steps}] {Instruction}";
        return State switch
        {
            BuildStepState.Started => head,
            BuildStepState.Cached => $"{head} CACHED",
            BuildStepState.Failed => $"{head} ERROR {Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}s",
            _ => $"{head} DONE {Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}s",
        };
    }
}

/// <summary>Where a build step is.</summary>
public enum BuildStepState
{
    /// <summary>The step started.</summary>
    Started,

    /// <summary>The step was done.</summary>
    Done,

    /// <summary>The step's layer came from the step cache: its sources were read, nothing was compressed or written.</summary>
    Cached,

    /// <summary>The step failed.</summary>
    Failed,
}
