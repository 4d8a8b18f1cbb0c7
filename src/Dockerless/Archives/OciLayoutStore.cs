namespace Dockerless.Archives;

/// <summary>
/// An OCI layout directory as a store several processes write into at once. One lock file,
/// <c>index.json.lock</c> next to <c>index.json</c>, serialises every change of <c>index.json</c>,
/// every blob's arrival under <c>blobs/</c> and every garbage collection. Each writer streams its
/// blobs into a folder of its own in the layout's top folder (<c>.dockerless-tmp-ID</c>, which
/// readers of the layout never look at), holding that folder's own lock while it lives, so a
/// folder whose lock is free belongs to a dead writer and can go.
/// </summary>
internal static class OciLayoutStore
{
    /// <summary>The lock file, next to <c>index.json</c>.</summary>
    public const string LockFile = "index.json.lock";

    /// <summary>How every writer's temporary folder is named: this, then a unique ID.</summary>
    public const string TemporaryPrefix = ".dockerless-tmp-";

    /// <summary>The file in a writer's temporary folder that it holds locked while it lives.</summary>
    private const string AliveFile = "alive";

    /// <summary>Waits for the layout's lock (making the directory when missing).</summary>
    public static Task<FileLock> LockAsync(string directory, CancellationToken cancellationToken)
        => FileLock.AcquireAsync(Path.Combine(directory, LockFile), cancellationToken);

    /// <summary>True when the directory holds an <c>oci-layout</c> file.</summary>
    public static bool IsLayout(string directory) => File.Exists(Path.Combine(directory, OciLayoutReader.LayoutFile));

    /// <summary>
    /// Refuses a directory that holds something other than a layout: files of its own, without an
    /// <c>oci-layout</c> file. A directory that is empty (but for the lock and temporaries) is not refused.
    /// </summary>
    public static void CheckWritable(string directory)
    {
        if (IsLayout(directory)) return;
        if (Directory.EnumerateFileSystemEntries(directory).Any(e => !IsOwn(Path.GetFileName(e))))
        {
            throw new InvalidImageFormatException($"{directory}: exists and is not an OCI image layout (it has no {OciLayoutReader.LayoutFile} file)");
        }
    }

    /// <summary>True for the names the store itself keeps in a layout's top folder: the lock and temporaries.</summary>
    public static bool IsOwn(string name) => name == LockFile || name.StartsWith(TemporaryPrefix, StringComparison.Ordinal);

    /// <summary>The temporary folders of writers that are no longer alive; call under the layout's lock.</summary>
    public static List<string> DeadTemporaries(string directory)
    {
        var dead = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(directory, TemporaryPrefix + "*"))
        {
            var file = Path.Combine(folder, AliveFile);
            using var alive = FileLock.TryAcquireExisting(file);
            // No alive file: its writer died between making the folder and the file, both done under the layout's lock.
            if (alive is not null || !File.Exists(file)) dead.Add(folder);
        }
        return dead;
    }

    /// <summary>
    /// Starts a writer: under the layout's lock, checks the directory can take a layout, removes
    /// dead writers' temporaries and makes this writer's folder, locked while the writer lives.
    /// </summary>
    public static async Task<Writer> BeginWriteAsync(string directory, CancellationToken cancellationToken)
    {
        var created = !Directory.Exists(directory);
        using (await LockAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            CheckWritable(directory);
            foreach (var dead in DeadTemporaries(directory)) AtomicOutput.TryDelete(dead);
            var folder = Path.Combine(directory, TemporaryPrefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            using (File.Open(Path.Combine(folder, AliveFile), FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite)) { }
            var alive = FileLock.TryAcquireExisting(Path.Combine(folder, AliveFile)) ?? throw new IOException($"cannot lock {Path.Combine(folder, AliveFile)}");
            return new Writer(directory, folder, alive, created);
        }
    }

    /// <summary>One writer of a layout: its temporary folder, and whether it made the layout's directory.</summary>
    public sealed class Writer(string directory, string folder, FileLock alive, bool createdDirectory) : IAsyncDisposable
    {
        /// <summary>The layout directory.</summary>
        public string Directory { get; } = directory;

        /// <summary>This writer's temporary folder, inside the layout's top folder.</summary>
        public string Folder { get; } = folder;

        /// <summary>Set once this writer's images are in <c>index.json</c>.</summary>
        public bool Published { get; set; }

        /// <summary>The blob's final path.</summary>
        public string PathOf(OciLayoutPlan.Blob blob) => Path.Combine(Directory, blob.Path);

        /// <summary>True when the layout already has the blob (content-addressed: its size is checked, not its bytes).</summary>
        public bool Holds(OciLayoutPlan.Blob blob)
        {
            var info = new FileInfo(PathOf(blob));
            return info.Exists && info.Length == blob.Size;
        }

        /// <summary>Streams a blob into this writer's folder, checked and flushed to the disk; returns its temporary path.</summary>
        public async Task<string> WriteBlobAsync(OciLayoutPlan.Blob blob, CancellationToken cancellationToken)
        {
            var temporary = Path.Combine(Folder, $"{blob.Digest.Algorithm}-{blob.Digest.Encoded}");
            var source = await blob.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await DurableFile.WriteNewAsync(temporary, source, cancellationToken).ConfigureAwait(false);
            }
            return temporary;
        }

        /// <summary>A temporary name in this writer's folder for a small file about to replace one of the layout's.</summary>
        public string TemporaryFor(string name) => Path.Combine(Folder, name);

        /// <summary>
        /// Removes this writer's folder. A writer that made the layout's directory and failed before
        /// publishing removes the directory too when nobody else has put anything there, so a
        /// failed first write leaves nothing behind.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            AtomicOutput.TryDelete(Folder);
            alive.Dispose();
            if (Published || !createdDirectory) return;
            using var held = await LockAsync(Directory, CancellationToken.None).ConfigureAwait(false);
            if (IsLayout(Directory) || System.IO.Directory.EnumerateFileSystemEntries(Directory).Any(e => Path.GetFileName(e) != LockFile)) return;
            // Others waiting for this lock find the file gone and start again, making the directory anew.
            try
            {
                File.Delete(held.Path);
                System.IO.Directory.Delete(Directory);
            }
            catch (IOException)
            {
                // Best effort: what failed the write is the error worth reporting.
            }
        }
    }
}
