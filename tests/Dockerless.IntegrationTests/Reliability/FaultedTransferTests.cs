using Dockerless.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Dockerless.IntegrationTests.Reliability;

/// <summary>Tests that look at the whole machine's temporary directory run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Isolated
{
    public const string Name = "Isolated reliability tests";
}

/// <summary>
/// 100 pulls, pushes and copies of a multi-layer image through proxies that inject faults from a
/// seeded sequence into the traffic to two real registries. Each transfer ends completed and
/// correct (every digest checked again on a direct connection) or failed cleanly (a
/// DockerlessException, no temporary file left, no manifest pushed whose blobs are missing);
/// none may end wrong.
/// </summary>
[Collection(Isolated.Name)]
public sealed class FaultedTransferTests(ITestOutputHelper output)
{
    private const int Transfers = 100;
    private const int Seed = 20261128;

    private static readonly RegistryOptions Fast = new()
    {
        MaxRetries = 4,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        ReadTimeout = TimeSpan.FromSeconds(10),
    };

    private enum Outcome { Correct, FailedCleanly, Wrong }

    [Fact]
    public async Task Hundred_faulted_transfers_end_correct_or_failed_cleanly_never_wrong()
    {
        using var temp = new PrivateTempPath();
        await using var source = await RegistryProcess.StartAsync();
        await using var destination = await RegistryProcess.StartAsync();
        await using var sourceProxy = LoopbackProxy.Start($"http://{source.Host}");
        await using var destinationProxy = LoopbackProxy.Start($"http://{destination.Host}");
        await using var image = await MultiLayerImageAsync();
        var expected = image.Layers.Select(l => l.Digest).ToList();
        await using (var direct = new Registry(source.Host))
        {
            await direct.PushImageAsync(image);
        }
        var sourceFaults = FaultProxy.Install(sourceProxy, Seed, rate: 0.2);
        var destinationFaults = FaultProxy.Install(destinationProxy, Seed + 1, rate: 0.2);
        await using var faultySource = new Registry(Fast with { Address = sourceProxy.Address });
        await using var faultyDestination = new Registry(Fast with { Address = destinationProxy.Address });
        await using var checkSource = new Registry(source.Host);
        await using var checkDestination = new Registry(destination.Host);
        var outcomes = new Dictionary<(string, Outcome), int>();

        for (var i = 0; i < Transfers; i++)
        {
            var kind = (i % 3) switch { 0 => "pull", 1 => "push", _ => "copy" };
            Outcome outcome;
            string detail;
            try
            {
                switch (kind)
                {
                    case "pull":
                        await using (var pulled = await faultySource.PullImageAsync("faults/app", "v1"))
                        {
                            outcome = await SameLayersAsync(pulled, expected) ? Outcome.Correct : Outcome.Wrong;
                        }
                        break;
                    case "push":
                        var pushed = await faultyDestination.PushImageAsync(Retagged(image, $"pushed{i}/app"));
                        outcome = await PresentAndCompleteAsync(checkDestination, $"pushed{i}/app", expected, pushed) ? Outcome.Correct : Outcome.Wrong;
                        break;
                    default:
                        var copied = await faultySource.CopyAsync("faults/app:v1", faultyDestination, $"copied{i}/app:v1");
                        outcome = await PresentAndCompleteAsync(checkDestination, $"copied{i}/app", expected, copied) ? Outcome.Correct : Outcome.Wrong;
                        break;
                }
                detail = "ok";
            }
            catch (DockerlessException e)
            {
                // A clean failure leaves no manifest behind whose blobs are missing.
                var repository = kind == "push" ? $"pushed{i}/app" : $"copied{i}/app";
                outcome = kind == "pull" || await NothingOrCompleteAsync(checkDestination, repository, expected) ? Outcome.FailedCleanly : Outcome.Wrong;
                detail = $"{e.GetType().Name}: {e.Message}";
            }
            outcomes[(kind, outcome)] = outcomes.GetValueOrDefault((kind, outcome)) + 1;
            if (outcome != Outcome.Correct) output.WriteLine($"transfer {i} ({kind}): {outcome}: {detail}");
            Assert.Empty(temp.DockerlessFiles());
        }

        var injected = sourceFaults.Injected.Concat(destinationFaults.Injected).GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Sum(f => f.Value));
        output.WriteLine($"faults injected: {injected.Values.Sum()} ({string.Join(", ", injected.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"))})");
        foreach (var kind in new[] { "pull", "push", "copy" })
        {
            output.WriteLine($"{kind}: correct {outcomes.GetValueOrDefault((kind, Outcome.Correct))}, failed cleanly {outcomes.GetValueOrDefault((kind, Outcome.FailedCleanly))}, wrong {outcomes.GetValueOrDefault((kind, Outcome.Wrong))}");
        }
        output.WriteLine($"total: correct {outcomes.Where(o => o.Key.Item2 == Outcome.Correct).Sum(o => o.Value)}, failed cleanly {outcomes.Where(o => o.Key.Item2 == Outcome.FailedCleanly).Sum(o => o.Value)}, wrong {outcomes.Where(o => o.Key.Item2 == Outcome.Wrong).Sum(o => o.Value)}");
        Assert.Equal(0, outcomes.Where(o => o.Key.Item2 == Outcome.Wrong).Sum(o => o.Value));
        Assert.True(injected.Values.Sum() >= Transfers, "the plan injected too few faults to mean anything");
    }

    /// <summary>
    /// Four layers, about 3.1 MB: three incompressible, one small gzipped. The first is over
    /// 1 MiB, so uploads take both shapes: PATCH then PUT, and the whole blob in one PUT.
    /// </summary>
    internal static async Task<Image> MultiLayerImageAsync()
    {
        var image = Image.Scratch("faults/app", "v1");
        image.AddLayer(await TempLayer.CreateLargeAsync(1_500_000, seed: 31));
        image.AddLayer(await TempLayer.CreateLargeAsync(800_000, seed: 32));
        image.AddLayer(await TempLayer.CreateAsync(new Dictionary<string, byte[]> { ["/etc/app.conf"] = "faults"u8.ToArray() }));
        image.AddLayer(await TempLayer.CreateLargeAsync(700_000, seed: 33));
        return image;
    }

    private static Image Retagged(Image image, string name)
    {
        image.Name = name;
        return image;
    }

    /// <summary>The pulled image has the expected layers, and each one's bytes hash to its digest.</summary>
    private static async Task<bool> SameLayersAsync(Image image, IReadOnlyList<Digest> expected)
    {
        if (!image.Layers.Select(l => l.Digest).SequenceEqual(expected)) return false;
        foreach (var layer in image.Layers)
        {
            await using var blob = await layer.OpenAsync();
            var hashing = new HashingStream(blob, what: layer.Digest.ToString());
            await hashing.CopyToAsync(Stream.Null);
            if (hashing.GetDigest() != layer.Digest) return false;
        }
        return true;
    }

    /// <summary>Straight from the registry: the manifest is the one the client reported and all its blobs are whole.</summary>
    private static async Task<bool> PresentAndCompleteAsync(Registry direct, string repository, IReadOnlyList<Digest> expected, Digest manifest)
    {
        if (await direct.GetDigestAsync(repository, "v1") != manifest) return false;
        await using var pulled = await direct.PullImageAsync(repository, "v1");
        return await SameLayersAsync(pulled, expected);
    }

    /// <summary>After a failure: either no manifest at all, or a complete one (the failure came after it was pushed).</summary>
    private static async Task<bool> NothingOrCompleteAsync(Registry direct, string repository, IReadOnlyList<Digest> expected)
    {
        Digest digest;
        try
        {
            digest = await direct.GetDigestAsync(repository, "v1");
        }
        catch (RegistryException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
        return await PresentAndCompleteAsync(direct, repository, expected, digest);
    }
}
