using System.Security.Cryptography;
using Dockerless.IntegrationTests.Cli;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Interop;

/// <summary>The outside inputs checked in under Corpus/ (each source with its LICENSE), and what the peers say of them.</summary>
public static class CorpusInputs
{
    /// <summary>The full path of a checked-in input.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(CliTool.RepositoryRoot, "tests", "Dockerless.IntegrationTests", "Corpus", relative);

    public const string Ggcr = "go-containerregistry/";
    public const string ContainersImage = "containers-image/";

    /// <summary>Layout locations (relative path and tag) that skopeo reads: ours must give its bytes.</summary>
    public static TheoryData<string, string?> SkopeoLayouts() => new()
    {
        { Ggcr + "layout/testdata/test_index", "1" },
        { Ggcr + "layout/testdata/test_index", "3" },
        { Ggcr + "layout/testdata/test_gc_index", "1" },
        { Ggcr + "layout/testdata/test_gc_index", "3" },
        { Ggcr + "layout/testdata/test_index_media_type", null },
        { Ggcr + "layout/testdata/test_index_one_image", null },
        { ContainersImage + "oci/layout/fixtures/delete_image_multiple_images", "3" },
        { ContainersImage + "oci/layout/fixtures/delete_image_multiple_images", "3.16.7" },
        { ContainersImage + "oci/layout/fixtures/delete_image_multiple_images", "3.17.5" },
        { ContainersImage + "oci/layout/fixtures/delete_image_multiple_images", "3.18.3" },
        { ContainersImage + "oci/layout/fixtures/delete_image_multiple_images", "latest" },
        { ContainersImage + "oci/layout/fixtures/delete_image_two_identical_references", "1.0.0" },
    };

    /// <summary>docker-archives (and the image of each) that skopeo, docker load and Dockerless all read.</summary>
    public static TheoryData<string, string?> DockerArchives() => new()
        // skopeo cannot name test_image_1 (RepoTags holds it without a tag, which it reads as docker.io/library/test_image_1): it reads @1 instead.
    {
        { Ggcr + "tarball/testdata/hello-world-v25.tar", null },
        { Ggcr + "tarball/testdata/test_image_1.tar", null },
        { Ggcr + "tarball/testdata/test_image_2.tar", null },
        { Ggcr + "tarball/testdata/test_load_manifest.tar", null },
        { Ggcr + "tarball/testdata/test_bundle.tar", "test_image_1:latest|@1" },
        { Ggcr + "tarball/testdata/test_bundle.tar", "@1" },
        { Ggcr + "tarball/testdata/test_link.tar", "bazel/v1/tarball:test_image_3" },
        { Ggcr + "tarball/testdata/test_link.tar", "@0" },
        { Ggcr + "mutate/testdata/overwritten_file.tar", null },
        { Ggcr + "mutate/testdata/source_image.tar", null },
        { Ggcr + "mutate/testdata/source_image_with_empty_layer_history.tar", null },
        { Ggcr + "mutate/testdata/whiteout_dir.tar", null },
        { Ggcr + "mutate/testdata/whiteout_image.tar", null },
        { ContainersImage + "docker/archive/fixtures/almostempty.tar", null },
    };

    /// <summary>Inputs every peer refuses (a blob index.json names is not there; not an image archive; a null manifest.json).</summary>
    public static TheoryData<string> Refused() => new()
    {
        "oci:" + Path(ContainersImage + "oci/layout/fixtures/manifest") + ":v0.1.1",
        "oci:" + Path(ContainersImage + "oci/layout/fixtures/name_lookups") + ":a",
        "oci:" + Path(ContainersImage + "oci/layout/fixtures/two_images_manifest"),
        "oci:" + Path(Ggcr + "layout/testdata/test_gc_image_unknown_mediatype"),
        "docker-archive:" + Path(Ggcr + "tarball/testdata/content.tar"),
        "docker-archive:" + Path(Ggcr + "tarball/testdata/null_manifest.tar"),
    };

    public static string Sha256(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>The digests of the blobs a layout directory holds.</summary>
    public static string[] Blobs(string layout)
        => [.. Directory.EnumerateFiles(System.IO.Path.Combine(layout, "blobs", "sha256")).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>
    /// The blobs a layout must hold for the graph under <paramref name="digest"/>: the nodes an index
    /// lists, a manifest's config and layers, walked here with nothing of the library.
    /// </summary>
    public static string[] Reachable(string layout, string digest)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Walk(digest);
        return [.. found];

        void Walk(string node)
        {
            var hex = node[7..];
            if (!found.Add(hex)) return;
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(layout, "blobs", "sha256", hex)));
            var root = document.RootElement;
            if (root.TryGetProperty("manifests", out var manifests))
            {
                foreach (var child in manifests.EnumerateArray()) Walk(child.GetProperty("digest").GetString()!);
                return;
            }
            found.Add(root.GetProperty("config").GetProperty("digest").GetString()![7..]);
            foreach (var layer in root.GetProperty("layers").EnumerateArray()) found.Add(layer.GetProperty("digest").GetString()![7..]);
        }
    }

    /// <summary>skopeo's bytes for <paramref name="args"/>, failing the test when it refuses.</summary>
    public static Task<string> SkopeoAsync(params string[] args) => Peer.RunAsync("skopeo", args);
}
