
namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// The image manifests the index <paramref name="top"/> offers, with the platforms their index
    /// gives them: its own entries first, then those of the indexes it lists (nested indexes), each once.
    /// </summary>
    internal async Task<List<Descriptor>> ImagesOfIndexAsync(string repository, RawManifest top, CancellationToken cancellationToken)
    {
        var images = new List<Descriptor>();
        var pending = new Queue<(IndexManifest Index, int Depth)>([(top.Index!, 1)]);
        var seen = new HashSet<Digest>();
        while (pending.TryDequeue(out var next))
        {
            foreach (var entry in next.Index.Manifests.Where(e => seen.Add(e.Digest)))
            {
                if (!MediaTypes.IsIndex(entry.MediaType))
                {
                    images.Add(entry);
                }
                else
                {
                    if (next.Depth == IndexManifest.MaxNesting) throw IndexManifest.NestsTooDeep($"{Host}/{repository}@{top.Digest}");
                    var nested = await _api.GetManifestAsync(repository, entry, cancellationToken).ConfigureAwait(false);
                    if (nested.Index is { } inner) pending.Enqueue((inner, next.Depth + 1));
                }
            }
        }
        return images;
    }

    /// <summary>The entry of <paramref name="offered"/> (an index's images) that runs on <paramref name="wanted"/>; none is a <see cref="PlatformNotFoundException"/> naming <paramref name="where"/> and what is offered.</summary>
    private static Descriptor ChooseOffered(IndexManifest index, List<Descriptor> offered, Platform wanted, string where)
        => ChoosePlatform(index with { Manifests = offered }, wanted)
           ?? throw new PlatformNotFoundException(where, wanted, offered.Select(PlatformNotFoundException.Describe));

    /// <summary>The image manifest an index lists as <paramref name="entry"/>; an index served in its place is a format error.</summary>
    private async Task<RawManifest> GetListedImageAsync(string repository, Descriptor entry, CancellationToken cancellationToken)
    {
        var child = await _api.GetManifestAsync(repository, entry, cancellationToken).ConfigureAwait(false);
        return child.IsIndex
            ? throw new InvalidImageFormatException($"{Host}/{repository}@{child.Digest}: listed as an image manifest ({entry.MediaType}) but served as an index")
            : child;
    }
}
