using System.Collections.Concurrent;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Distribution;

/// <summary>A push's progress says which blobs moved and which the registry already had (TransferProgress.Reused).</summary>
public sealed class PushProgressTests
{
    [Fact]
    public async Task Blobs_the_registry_has_or_mounts_are_reported_reused_and_only_new_ones_moved()
    {
        await using var server = await RegistryProcess.StartAsync();
        var reports = new ConcurrentBag<TransferProgress>();
        await using var registry = new Registry(new RegistryOptions { Address = server.Host, Progress = new Synchronous(reports.Add) });
        await using var first = await Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["/a"] = "first"u8.ToArray() });
        await using var second = await Layer.FromContentsAsync(new Dictionary<string, byte[]> { ["/b"] = "second"u8.ToArray() });
        await using var one = TestLayer.ImageOf($"{server.Host}/progress/app", "1", first);
        await registry.PushImageAsync(one);
        Assert.All(reports, r => Assert.False(r.Reused));

        reports.Clear();
        await using var two = TestLayer.ImageOf($"{server.Host}/progress/app", "2", first, second);
        await registry.PushImageAsync(two);
        Assert.True(reports.Where(r => r.Digest == first.Digest).Single().Reused);
        Assert.All(reports.Where(r => r.Digest == second.Digest), r => Assert.False(r.Reused));

        reports.Clear();
        await using var pulled = await registry.PullImageAsync(ImageReference.Parse($"{server.Host}/progress/app:2"), lazy: true);
        reports.Clear();
        pulled.Name = $"{server.Host}/progress/other";
        await registry.PushImageAsync(pulled);
        Assert.All(reports.Where(r => r.Digest == first.Digest || r.Digest == second.Digest), r => Assert.True(r.Reused, $"{r.Digest} was mounted, not uploaded"));
        Assert.DoesNotContain(await server.AccessLogAsync(), l => l.Contains("\"PATCH ", StringComparison.Ordinal) && l.Contains("/progress/other/", StringComparison.Ordinal));
    }

    private sealed class Synchronous(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }
}
