using System.Formats.Tar;
using System.Globalization;

namespace Dockerless.Building;

/// <summary>WORKDIR, COPY and ADD: the instructions that add files as a layer.</summary>
internal sealed partial class StageBuilder
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED;

    private async Task WorkdirAsync(WorkdirInstruction workdir, Instruction place, CancellationToken cancellationToken)
    {
        var written = Expand(workdir.Path, place);
        var current = _image.Config.WorkingDir is { Length: > 0 } set ? set : "/";
        var path = "/" + (TarPath.Normalize(written.StartsWith('/') ? written : current + "/" + written) ?? "");
        _image.Config.WorkingDir = path;
        var relative = path.TrimStart('/');
        if (relative.Length == 0 || _directories.Contains(relative))
        {
            // Nothing to make: BuildKit's layer would be empty.
            ConfigHistory("WORKDIR " + path);
            return;
        }
        // Made as BuildKit's mkdir -p makes it: what it creates is USER's. As root, the parents are
        // left to the applier, which makes missing ones 0755 and root's and keeps the base's own
        // (reading the base to tell them apart would download it). Not as root, the layers are
        // read for the user anyway, and show which parents are missing.
        var builder = _image.NewLayerBuilder();
        if (string.IsNullOrEmpty(_image.Config.User))
        {
            builder.Add(relative, new LayerEntry(TarEntryType.Directory, DirectoryMode));
            _directories.Add(relative);
        }
        else
        {
            var (uid, gid) = await new UserDatabase(_image.Layers).ResolveAsync(_image.Config.User, cancellationToken).ConfigureAwait(false);
            var wanted = TarPath.Ancestors(relative).Append(relative).Where(d => !_directories.Contains(d)).ToList();
            var existing = await LayerFiles.DirectoriesAsync(_image.Layers, wanted, cancellationToken).ConfigureAwait(false);
            foreach (var directory in wanted.Where(d => !existing.Contains(d)))
            {
                builder.Add(directory, new LayerEntry(TarEntryType.Directory, DirectoryMode) { Uid = uid, Gid = gid });
            }
            _directories.UnionWith(wanted);
        }
        await AddLayerAsync(builder, "WORKDIR " + path, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyAsync(CopyInstruction copy, Instruction place, CancellationToken cancellationToken)
    {
        var tree = session.Input.Context;
        SourceTree source = new(tree, session.Input.Ignore, KeepOwners: false, "the build context");
        if (copy.From is { } from)
        {
            var name = Expand(from, place);
            source = await FromTreeAsync(name, place, cancellationToken).ConfigureAwait(false);
        }
        var request = await RequestAsync("COPY", copy.Files, copy.Chown, copy.Chmod, copy.Excludes, place, cancellationToken).ConfigureAwait(false);
        request = request with { Parents = copy.Parents };
        await AddFilesAsync(request, source, copy.Files, place, cancellationToken).ConfigureAwait(false);
    }

    private async Task AddAsync(AddInstruction add, Instruction place, CancellationToken cancellationToken)
    {
        var request = await RequestAsync("ADD", add.Files, add.Chown, add.Chmod, add.Excludes, place, cancellationToken).ConfigureAwait(false);
        var urls = request.Sources.Where(RemoteFile.IsUrl).ToList();
        var local = request.Sources.Where(s => !RemoteFile.IsUrl(s)).ToList();
        if (urls.Count > 0 && add.Checksum is not null && request.Sources.Count > 1) throw session.Fault(place, "checksum can't be specified for multiple sources");
        var scratch = Scratch();
        var downloads = new List<string>();
        foreach (var url in urls)
        {
            downloads.Add(await RemoteFile.DownloadAsync(url, add.Checksum, scratch, cancellationToken).ConfigureAwait(false));
        }
        var fromUrls = new SourceTree(scratch, DockerIgnore.None, KeepOwners: false, "the downloads");
        var builder = _image.NewLayerBuilder();
        if (downloads.Count > 0)
        {
            // A URL's file is 0600, as BuildKit writes it, and never extracted.
            var urlRequest = request with { Sources = downloads.Select(Path.GetFileName).OfType<string>().ToList(), Mode = request.Mode ?? (UnixFileMode)0x180, DestinationIsDirectory = request.DestinationIsDirectory || request.Sources.Count > 1 };
            await new CopyLayer(urlRequest, fromUrls, builder, _directories, scratch).AddAsync(cancellationToken).ConfigureAwait(false);
        }
        if (local.Count > 0)
        {
            var localRequest = request with { Sources = local, ExtractArchives = add.Unpack ?? true, DestinationIsDirectory = request.DestinationIsDirectory || request.Sources.Count > 1 };
            var context = new SourceTree(session.Input.Context, session.Input.Ignore, KeepOwners: false, "the build context");
            await AddInlineAsync(localRequest, add.Files, builder, scratch, cancellationToken).ConfigureAwait(false);
            await new CopyLayer(localRequest, context, builder, _directories, scratch).AddAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await AddInlineAsync(request, add.Files, builder, scratch, cancellationToken).ConfigureAwait(false);
        }
        await AddLayerAsync(builder, $"ADD {string.Join(' ', request.Sources.Select(RemoteFile.Shown).Concat(add.Files.InlineSources.Select(i => "<<" + i.Path)))} {Expand(add.Files.Destination, place)} # buildkit", cancellationToken).ConfigureAwait(false);
    }

    private async Task AddFilesAsync(CopyRequest request, SourceTree source, FileTransfer files, Instruction place, CancellationToken cancellationToken)
    {
        var scratch = Scratch();
        var builder = _image.NewLayerBuilder();
        await AddInlineAsync(request, files, builder, scratch, cancellationToken).ConfigureAwait(false);
        if (request.Sources.Count > 0) await new CopyLayer(request, source, builder, _directories, scratch).AddAsync(cancellationToken).ConfigureAwait(false);
        var sources = request.Sources.Concat(files.InlineSources.Select(i => "<<" + i.Path));
        await AddLayerAsync(builder, $"{request.Instruction} {string.Join(' ', sources)} {Expand(files.Destination, place)} # buildkit", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new directory for one instruction's downloads, heredocs and extracted files.</summary>
    private string Scratch() => Directory.CreateDirectory(Path.Combine(session.WorkDirectory, "step-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    /// <summary>The heredoc files of a COPY or ADD (<c>COPY &lt;&lt;EOF /dest</c>), expanded unless their delimiter was quoted.</summary>
    private async Task AddInlineAsync(CopyRequest request, FileTransfer files, LayerBuilder builder, string scratch, CancellationToken cancellationToken)
    {
        if (files.InlineSources.Count == 0) return;
        var inline = new SourceTree(scratch, DockerIgnore.None, KeepOwners: false, "the heredocs");
        var names = new List<string>();
        foreach (var source in files.InlineSources)
        {
            var data = source.Expand ? session.Lexer.ProcessWord(source.Data, _variables.Values) : source.Data;
            var name = source.Path;
            await File.WriteAllTextAsync(Path.Combine(scratch, name), data, cancellationToken).ConfigureAwait(false);
            names.Add(name);
        }
        // A heredoc's file is 0644 whatever the umask made of the scratch copy.
        var heredocRequest = request with { Sources = names, Mode = request.Mode ?? (UnixFileMode)0x1A4, DestinationIsDirectory = request.DestinationIsDirectory || names.Count + request.Sources.Count > 1, ExtractArchives = false };
        await new CopyLayer(heredocRequest, inline, builder, _directories, scratch).AddAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What <c>--from</c> names: an earlier stage, or an image, unpacked once into a directory.</summary>
    private async Task<SourceTree> FromTreeAsync(string name, Instruction place, CancellationToken cancellationToken)
    {
        if (StageGraph.EarlierStage(session, stage, name) is { } earlier)
        {
            return await session.UnpackedTree($"stage {earlier.Index}", $"stage {earlier.Name ?? earlier.Index.ToString(CultureInfo.InvariantCulture)}",
                async () => (await session.Stage(earlier.Index, cancellationToken).ConfigureAwait(false)).Image, cancellationToken).ConfigureAwait(false);
        }
        if (session.Input.Stages.Find(name) is not null) throw session.Fault(place, $"stage {name} is not before this one: --from names an earlier stage");
        return await session.UnpackedTree($"image {name}", $"image {name}",
            () => OpenImageAsync(name, session.Platform, place, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The COPY or ADD with its words expanded and flags read.</summary>
    private async Task<CopyRequest> RequestAsync(string instruction, FileTransfer files, string? chown, string? chmod, IReadOnlyList<string> excludes, Instruction place, CancellationToken cancellationToken)
    {
        var sources = files.Sources.Select(s => Expand(s, place)).ToList();
        var writtenDestination = Expand(files.Destination, place);
        var workdir = _image.Config.WorkingDir is { Length: > 0 } set ? set : "/";
        var absolute = writtenDestination.StartsWith('/') ? writtenDestination : workdir + "/" + writtenDestination;
        var destination = TarPath.Normalize(absolute) ?? "";
        var isDirectory = writtenDestination.EndsWith('/') || writtenDestination is "." or "" || writtenDestination.EndsWith("/.", StringComparison.Ordinal)
            || destination.Length == 0 || _directories.Contains(destination);
        (int, int)? owner = null;
        if (chown is not null)
        {
            var spec = Expand(chown, place);
            if (spec.Length > 0) owner = await new UserDatabase(_image.Layers).ResolveAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        UnixFileMode? mode = null;
        if (chmod is not null)
        {
            var text = Expand(chmod, place);
            if (text.Length == 0 || text.Length > 4 || !text.All(c => c is >= '0' and <= '7'))
            {
                throw session.Fault(place, $"invalid chmod parameter: {text}: expected an octal mode such as 0755");
            }
            mode = (UnixFileMode)Convert.ToInt32(text, 8);
        }
        return new CopyRequest
        {
            Instruction = instruction,
            Sources = sources,
            Destination = destination,
            DestinationIsDirectory = isDirectory,
            Owner = owner,
            Mode = mode,
            Excludes = excludes.Count == 0 ? DockerIgnore.None : DockerIgnore.Parse(string.Join('\n', excludes.Select(e => Expand(e, place)))),
        };
    }
}
