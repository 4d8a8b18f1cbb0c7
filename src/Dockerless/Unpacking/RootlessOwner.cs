namespace Dockerless.Unpacking;

/// <summary>
/// The <c>user.rootlesscontainers</c> extended attribute (rootlesscontainers.io) in which a
/// rootless unpack keeps the owner a layer gave a file, as umoci does: a protobuf message
/// <c>Resource { uint32 uid = 1; uint32 gid = 2; }</c> where 4294967295 means "unchanged" (0,
/// root), written only when the owner or group is not root.
/// </summary>
internal static class RootlessOwner
{
    public const string AttributeName = "user.rootlesscontainers";

    private const uint Unchanged = uint.MaxValue;

    /// <summary>The attribute's value for an entry owned by <paramref name="uid"/>:<paramref name="gid"/>; null for 0:0.</summary>
    public static byte[]? Encode(int uid, int gid)
    {
        if (uid == 0 && gid == 0) return null;
        var bytes = new List<byte>(12);
        Field(bytes, 1, uid == 0 ? Unchanged : (uint)uid);
        Field(bytes, 2, gid == 0 ? Unchanged : (uint)gid);
        return [.. bytes];
    }

    /// <summary>A varint field; proto3 leaves out a field whose value is 0.</summary>
    private static void Field(List<byte> bytes, int number, uint value)
    {
        if (value == 0) return;
        bytes.Add((byte)(number << 3));
        for (; value >= 0x80; value >>= 7) bytes.Add((byte)(value | 0x80));
        bytes.Add((byte)value);
    }
}
