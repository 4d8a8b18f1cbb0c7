namespace Dockerless.Distribution;

/// <summary>How far the transfer of one blob has come.</summary>
/// <param name="Digest">The blob.</param>
/// <param name="BytesTransferred">How many bytes have moved so far.</param>
/// <param name="TotalBytes">The blob's size.</param>
public readonly record struct TransferProgress(Digest Digest, long BytesTransferred, long TotalBytes);
