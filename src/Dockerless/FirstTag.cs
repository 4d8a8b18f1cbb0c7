namespace Dockerless;

/// <summary>The tag rule <see cref="Image"/> and <see cref="ImageIndex"/> share: <c>Tag</c> is the first of <c>Tags</c>.</summary>
internal static class FirstTag
{
    /// <summary>The first of <paramref name="tags"/>, or empty when there is none.</summary>
    public static string Of(List<string> tags) => tags.Count > 0 ? tags[0] : "";

    /// <summary>Makes <paramref name="tag"/> the first of <paramref name="tags"/>, in place of the one there.</summary>
    public static void Set(List<string> tags, string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tags.Count == 0) tags.Add(tag);
        else tags[0] = tag;
    }
}
