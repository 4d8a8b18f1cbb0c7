namespace Dockerless.Stores;

/// <summary>
/// The folder temporary files go to (<c>TMPDIR</c>, else /tmp), and the error for it being full:
/// the file system's own message names a spool file the user never chose, not the folder
/// they can change.
/// </summary>
internal static class TemporaryFolder
{
    private const int NoSpaceLeft = 28;
    private const int QuotaExceeded = 122;

    /// <summary>The folder, as <see cref="Path.GetTempPath"/> gives it.</summary>
    public static string Path => System.IO.Path.GetTempPath();

    /// <summary>True when <paramref name="e"/> says the file system is full (ENOSPC) or the user's quota is spent (EDQUOT).</summary>
    public static bool IsFull(Exception e) => e is IOException { HResult: NoSpaceLeft or QuotaExceeded };

    /// <summary>The error for a full temporary folder <paramref name="folder"/>.</summary>
    public static IOException Full(string folder, Exception e)
        => new($"the temporary folder {folder} is full ({e.Message.Split(':')[0].Trim()}): free space there or set TMPDIR to a folder with room for the image's layers", e);
}
