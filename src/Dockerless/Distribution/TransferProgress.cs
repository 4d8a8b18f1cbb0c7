namespace Dockerless.Distribution;

/// <summary>How far the transfer of one blob has come.</summary>
/// <param name="Digest">The blob.</param>
/// <param name="BytesTransferred">How many bytes have moved so far.</param>
/// <param name="TotalBytes">The blob's size.</param>
public readonly record struct TransferProgress(Digest Digest, long BytesTransferred, long TotalBytes)
{
    /// <summary>
    /// The destination already had the blob (a HEAD found it, or it was mounted from another
    /// repository of the same registry): no byte of it moved. Reported once, with both counts at the blob's size.
    /// </summary>
    public bool Reused { get; init; }
}
