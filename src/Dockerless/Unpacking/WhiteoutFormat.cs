namespace Dockerless.Unpacking;

/// <summary>What an unpack does with a layer's whiteouts (<c>.wh.NAME</c>, <c>.wh..wh..opq</c>).</summary>
internal enum WhiteoutFormat
{
    /// <summary>Applies them: what they name is deleted from the layers below (a merged root filesystem).</summary>
    Apply,

    /// <summary>
    /// Keeps them as overlayfs reads a layer directory of its own: a whiteout is a 0:0 character
    /// device, an opaque directory carries <c>trusted.overlay.opaque=y</c> (root only), as docker's
    /// overlay2 stores a layer.
    /// </summary>
    Overlay,

    /// <summary>Keeps them as the layer's own empty files, which fuse-overlayfs reads as whiteouts.</summary>
    Files,
}
