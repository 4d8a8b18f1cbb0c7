// Everything the dockerless command does, through the library's public API:
//   dotnet run -- BASE REGISTRY WORKDIR
// BASE is any source location (docker-archive:busybox.tar, docker://alpine), REGISTRY a registry
// host (127.0.0.1:5000) to push to, WORKDIR a directory for the files it writes.
using Dockerless;
using Dockerless.Auth;
using Dockerless.Content;
using Dockerless.Distribution;
using Dockerless.Engines;
using Dockerless.Locations;
using Dockerless.References;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Quickstart BASE REGISTRY WORKDIR");
    return 2;
}
var (baseText, host, work) = (args[0], args[1], args[2]);
Directory.CreateDirectory(Path.Combine(work, "app"));
await File.WriteAllTextAsync(Path.Combine(work, "app", "hello.sh"), "echo hello from the sample\n");

// One client per registry for the whole program; lazy images read their layers through it.
await using var registries = new RegistryPool();
var registry = registries.Get(host);
ImageLocation At(string repositoryAndTag) => ImageLocation.ParseDestination($"docker://{host}/{repositoryAndTag}");

// build: a layer from a directory on top of a base, and a config.
await using (var image = await ImageLocation.Parse(baseText).OpenImageAsync(registries: registries))
{
    await image.AddLayerPathAsync(Path.Combine(work, "app"), "/app");
    image.Config.Env.Add("GREETING=hello");
    image.Config.Entrypoint = ["/bin/sh"];
    image.Config.Cmd = ["/app/hello.sh"];
    await image.WriteDockerArchiveAsync(Path.Combine(work, "app.tar"));
    await image.WriteOciLayoutAsync(Path.Combine(work, "layout"));
    Console.WriteLine($"built {image.GetDigest()}");
}

// copy: any location to any location (here an OCI layout to the registry).
var copied = await ImageLocation.Parse($"oci:{Path.Combine(work, "layout")}").CopyToAsync(At("sample/app:1"), new CopyOptions { Registries = registries });
Console.WriteLine($"copied {copied.Digest}");

// inspect: the digest, manifest and config bytes as the registry holds them.
var reference = ImageReference.Parse($"{host}/sample/app:1");
var manifest = await registry.GetManifestAsync(reference);
var config = await registry.GetRawConfigAsync(reference);
Console.WriteLine($"manifest {manifest.Digest} {manifest.MediaType} {manifest.Bytes.Length} bytes; config {config.Length} bytes");

// append and mutate, lazily: the base layers are mounted, not downloaded.
await using (var lazy = await registry.PullImageAsync(reference, lazy: true))
{
    await lazy.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/etc/motd"] = "appended\n"u8.ToArray() });
    lazy.Config.Env.Add("MUTATED=1");
    Console.WriteLine($"appended {await registry.PushImageAsync(lazy, reference.WithTag("2"))}");
}

// export and flatten.
await using (var two = await registry.PullImageAsync(reference.WithTag("2"), lazy: true))
{
    await two.ExportAsync(Path.Combine(work, "rootfs.tar"));
    await using var flat = await two.FlattenAsync();
    Console.WriteLine($"flattened {await At("sample/app:flat").WriteImageAsync(flat, registries)} ({flat.Layers.Count} layer)");
}

// an index of two platforms, pushed, then one platform copied out of it.
var platforms = new List<Image>();
foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
{
    var image = Image.Scratch("sample/multi", "1", Platform.Parse(platform));
    await image.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/platform"] = System.Text.Encoding.UTF8.GetBytes(platform) });
    platforms.Add(image);
}
await using (var index = ImageIndex.Create(platforms))
{
    var pushed = await registry.PushIndexAsync(index, reference.WithTag("multi"));
    var arm = await At("sample/app:multi").CopyToAsync(ImageLocation.ParseDestination($"oci:{Path.Combine(work, "arm")}:arm"),
        new CopyOptions { Platforms = [Platform.Parse("linux/arm64")], Registries = registries });
    await using var pulled = await registry.PullIndexAsync(reference.WithTag("multi"), lazy: true);
    Console.WriteLine($"index {pushed} of {string.Join(", ", pulled.Images.Select(i => i.Platform))}; copied {string.Join(", ", arm.Platforms)}");
}

// login and logout, in a docker config of the sample's own.
var store = new DockerCredentialStore(new CredentialStoreOptions { DockerConfigDirectory = Path.Combine(work, "docker-config") });
await store.LoginAsync(host, "sample", "secret");
Console.WriteLine($"logged in as {(await store.GetAsync(host))?.Username}; logged out: {(await store.LogoutAsync(host)).Erased}");

// run, where docker or podman is installed.
try
{
    await using var runnable = (await Image.LoadAsync(Path.Combine(work, "app.tar")))[0];
    var result = await runnable.RunAsync([]);
    Console.WriteLine($"ran: {result.Output.Trim()} (exit {result.ExitCode})");
}
catch (EngineNotFoundException e)
{
    Console.WriteLine($"not run: {e.Message}");
}
return 0;
