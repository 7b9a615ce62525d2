using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// The file as LOAD DATA LOCAL reads it: from after the byte-order mark, with the position reported as it goes, the
/// load stopped at cancellation, and refused at the first NUL byte (PostgreSQL refuses NUL in text, MariaDB would load
/// it; a file must load the same way on both engines).
/// </summary>
internal sealed class LoadDataSource : Stream
{
    private readonly FileStream _file;
    private readonly string _path;
    private readonly IProgress<long>? _position;
    private readonly CancellationToken _cancellationToken;
    private long _line = 1;

    public LoadDataSource(string path, int skipBytes, IProgress<long>? position, CancellationToken cancellationToken)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        _file.Seek(skipBytes, SeekOrigin.Begin);
        (_path, _position, _cancellationToken) = (path, position, cancellationToken);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _file.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, _file.Read(buffer, offset, count)));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _file.ReadAsync(buffer, _cancellationToken).ConfigureAwait(false);
        return Inspect(buffer.Span[..read]);
    }

    private int Inspect(Span<byte> chunk)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var nul = chunk.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new BatchDbException(ErrorIds.CsvInvalid, BatchDbErrorKind.InvalidData,
                $"{_path}: line {_line + chunk[..nul].Count((byte)'\n')}: the line holds a NUL byte (0x00), which PostgreSQL refuses in text and MariaDB would load; remove it.")
            { Target = _path };
        }

        _line += chunk.Count((byte)'\n');
        _position?.Report(_file.Position);
        return chunk.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
