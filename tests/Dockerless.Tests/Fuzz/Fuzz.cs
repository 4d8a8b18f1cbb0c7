using System.Globalization;
using CsCheck;
using Dockerless.Tests.Hostile;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dockerless.Tests.Fuzz;

/// <summary>
/// Runs a fuzz target with CsCheck: every case must end normally or with one of the target's
/// documented exception types, within a watchdog (a hang fails the test, naming the input), and
/// allocate no more than a bound proportional to its input. CI runs 2 000 cases per target;
/// <c>DOCKERLESS_FUZZ_CASES=100000</c> starts a long run by hand, <c>DOCKERLESS_FUZZ_SEED</c> replays one.
/// Cases run one at a time so that the process-wide allocation counter belongs to the case.
/// </summary>
internal static class Fuzz
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(30);

    public static long Cases { get; } = long.TryParse(Environment.GetEnvironmentVariable("DOCKERLESS_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2000;

    private static string? Seed => Environment.GetEnvironmentVariable("DOCKERLESS_FUZZ_SEED");

    /// <summary>Fuzzes a synchronous target.</summary>
    public static void Run<T>(ITestOutputHelper output, string target, Gen<T> gen, Func<T, int> size, Action<T> action, params Type[] allowed)
        => RunAsync(output, target, gen, size, (input, _) =>
        {
            action(input);
            return Task.CompletedTask;
        }, allowed);

    /// <summary>Fuzzes an asynchronous target; its token is cancelled by the watchdog.</summary>
    public static void RunAsync<T>(ITestOutputHelper output, string target, Gen<T> gen, Func<T, int> size, Func<T, CancellationToken, Task> action, params Type[] allowed)
    {
        long accepted = 0, refused = 0, maxAllocated = 0;
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        gen.Sample(input =>
        {
            using var cancel = new CancellationTokenSource(Watchdog);
            var before = GC.GetTotalAllocatedBytes(precise: false);
            var run = Task.Run(async () =>
            {
                try
                {
                    await action(input, cancel.Token);
                    return null;
                }
                catch (Exception e)
                {
                    return e;
                }
            });
            if (!run.Wait(Watchdog + TimeSpan.FromSeconds(5)) || run.Result is OperationCanceledException)
            {
                throw new XunitException($"{target}: a case did not finish within {Watchdog.TotalSeconds} s");
            }
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            maxAllocated = Math.Max(maxAllocated, allocated);
            var bound = (4L << 20) + 256L * size(input);
            if (allocated > bound) throw new XunitException($"{target}: a case of {size(input)} bytes allocated {allocated} bytes (bound {bound})");
            if (run.Result is not { } error)
            {
                accepted++;
                return;
            }
            if (!allowed.Any(t => t.IsInstanceOfType(error)))
            {
                throw new XunitException($"{target}: undocumented {error}", error);
            }
            refused++;
            kinds[error.GetType().Name] = kinds.GetValueOrDefault(error.GetType().Name) + 1;
        }, seed: Seed, iter: Cases, threads: 1, print: input => Print(input));
        output.WriteLine($"fuzz {target}: {accepted + refused} cases, {accepted} accepted, {refused} refused ({string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"))}); max allocation per case {maxAllocated / 1024} KiB; {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static string Print<T>(T input) => input switch
    {
        byte[] bytes => "base64:" + Convert.ToBase64String(bytes.AsSpan(0, Math.Min(bytes.Length, 3072))) + (bytes.Length > 3072 ? $"... ({bytes.Length} bytes)" : ""),
        string text => "\"" + text + "\"",
        _ => input?.ToString() ?? "null",
    };
}
