using Microsoft.Win32.SafeHandles;

namespace Dockerless.Layers;

/// <summary>
/// Where a built layer's compressed bytes wait until something reads them: in memory while
/// small, else in a temporary file that is unlinked right after it is created, so nothing is
/// left on disk even if the process dies. The open handle keeps the data; readers use
/// positional reads, so any number of them can read at once. Dispose closes the handle.
/// </summary>
internal sealed class LayerSpool : WriteOnlyStream
{
    private readonly int _memoryLimit;
    private readonly string _directory;
    private MemoryStream? _memory = new();
    private SafeFileHandle? _file;
    private long _length;
    private bool _completed;

    /// <param name="memoryLimit">Up to this many bytes stay in memory.</param>
    /// <param name="directory">Where the temporary file goes (the system's temp directory by default).</param>
    public LayerSpool(int memoryLimit, string? directory = null)
    {
        _memoryLimit = memoryLimit;
        _directory = directory ?? Path.GetTempPath();
    }

    /// <summary>True once the bytes moved to the temporary file.</summary>
    public bool IsOnDisk => _file is not null;

    /// <inheritdoc/>
    public override long Length => _length;

    /// <inheritdoc/>
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_completed) throw new InvalidOperationException("the spool is complete");
        try
        {
            if (_memory is not null && _memory.Length + buffer.Length > _memoryLimit) MoveToDisk();
            if (_memory is not null) _memory.Write(buffer);
            else RandomAccess.Write(_file!, buffer, _length);
        }
        catch (IOException e) when (TemporaryFolder.IsFull(e))
        {
            throw TemporaryFolder.Full(_directory, e);
        }
        _length += buffer.Length;
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_completed) throw new InvalidOperationException("the spool is complete");
        try
        {
            if (_memory is not null && _memory.Length + buffer.Length > _memoryLimit) MoveToDisk();
            if (_memory is not null) _memory.Write(buffer.Span);
            else await RandomAccess.WriteAsync(_file!, buffer, _length, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (TemporaryFolder.IsFull(e))
        {
            throw TemporaryFolder.Full(_directory, e);
        }
        _length += buffer.Length;
    }

    /// <summary>Ends writing; from now on the spool can only be read.</summary>
    public void Complete() => _completed = true;

    /// <summary>Opens a new reader at the start of the bytes.</summary>
    public Stream OpenRead()
    {
        if (!_completed) throw new InvalidOperationException("the spool is still being written");
        if (_memory is not null)
        {
            return new MemoryStream(_memory.GetBuffer(), 0, (int)_length, writable: false);
        }
        ObjectDisposedException.ThrowIf(_file is null || _file.IsClosed, this);
        return new SpoolFileReader(_file, _length);
    }

    private void MoveToDisk()
    {
        var path = Path.Combine(_directory, $"dockerless-layer-{Guid.NewGuid():N}.tmp");
        // Unlinked at once on Unix; Windows cannot delete an open file, so it deletes on close.
        var options = OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None;
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, options);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
        RandomAccess.Write(_file, _memory!.GetBuffer().AsSpan(0, (int)_memory.Length), 0);
        _memory = null;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _memory = null;
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override bool CanWrite => !_completed;

    /// <summary>Reads the spooled file from the start through positional reads of the shared handle.</summary>
    private sealed class SpoolFileReader(SafeFileHandle file, long length) : ReadOnlyStream
    {
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            var n = RandomAccess.Read(file, buffer[..Remaining(buffer.Length)], _position);
            _position += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await RandomAccess.ReadAsync(file, buffer[..Remaining(buffer.Length)], _position, cancellationToken).ConfigureAwait(false);
            _position += n;
            return n;
        }

        private int Remaining(int wanted) => (int)Math.Min(wanted, length - _position);

        public override long Length => length;
        public override long Position => _position;
    }
}
