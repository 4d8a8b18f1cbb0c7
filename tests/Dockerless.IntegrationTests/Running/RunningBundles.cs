using System.Diagnostics;
using System.Globalization;

namespace Dockerless.IntegrationTests.Running;

/// <summary>The bundles a run keeps under its cache directory's <c>run/</c> while its container lives.</summary>
public static class RunningBundles
{
    /// <summary>
    /// Waits until a run has written its bundle (the runtime starts right after), then a moment
    /// more for the container to run; fails if the tool ends first.
    /// </summary>
    public static async Task WaitForStartAsync(string bundles, Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(Directory.Exists(bundles) && Directory.EnumerateDirectories(bundles).Any(d => File.Exists(Path.Combine(d, "config.json")))))
        {
            if (process.HasExited) throw new InvalidOperationException($"the tool ended (exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}) before its container started");
            await Task.Delay(50, timeout.Token);
        }
        await Task.Delay(1000, timeout.Token);
    }
}
