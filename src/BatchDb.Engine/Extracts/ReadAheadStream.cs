namespace BatchDb.Engine.Extracts;

/// <summary>
/// Reads a stream one buffer ahead: while the caller writes what it was given to another server, the next buffer is
/// already coming from the first, as the two ends of a shell pipe overlap.
/// </summary>
internal sealed class ReadAheadStream(Stream inner, int bufferSize) : ReadOnlyStream
{
    private byte[] _ready = new byte[bufferSize];
    private byte[] _coming = new byte[bufferSize];
    private int _offset;
    private int _count;
    private Task<int>? _pending;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_count == 0)
        {
            var read = await (_pending ?? inner.ReadAsync(_coming, cancellationToken).AsTask()).ConfigureAwait(false);
            _pending = null;
            if (read == 0)
            {
                return 0;
            }

            (_ready, _coming) = (_coming, _ready);
            (_offset, _count) = (0, read);
            _pending = inner.ReadAsync(_coming, cancellationToken).AsTask();
        }

        var taken = Math.Min(_count, buffer.Length);
        _ready.AsMemory(_offset, taken).CopyTo(buffer);
        _offset += taken;
        _count -= taken;
        return taken;
    }

    /// <summary>Waits for the read still in flight, if any (its outcome no longer matters), so the owner can end the inner stream safely; the inner stream stays open.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_pending is { } pending)
        {
            _pending = null;
            await pending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
