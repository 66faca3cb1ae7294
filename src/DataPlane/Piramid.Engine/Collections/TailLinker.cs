namespace Piramid.Engine.Collections;

/// <summary>
/// The graph nodes of one collection that are acknowledged but not linked yet (the tail), and the background workers
/// that link them, at most one per core, in the order the writers logged them (docs/design/ingest.md). A write is
/// acknowledged once durable; linking follows behind it. Searches scan a <see cref="Snapshot"/> of the tail exactly,
/// so a point is always found: linked (the graph) or not yet (the scan). A write waits in
/// <see cref="WaitForRoomAsync"/> while the tail holds <see cref="Bound"/> points or more, which bounds that scan.
/// </summary>
/// <remarks>
/// Slots are appended under the collection's write lock (<see cref="Add"/>), so the order is the log's. A slot leaves
/// the tail only after its link completed, and only in order (the head advances over a done prefix): a search that
/// takes its snapshot and then walks the graph (both under the read lock) sees every live point in one or both; the
/// caller merges by slot. Positions are absolute (<c>_base</c> is the position of array index 0) so a worker keeps its
/// position while the arrays are compacted.
/// </remarks>
internal sealed class TailLinker
{
    private readonly Lock _gate = new();
    private readonly Func<int, bool> _link;
    private readonly int _maxWorkers;
    private int[] _slots = new int[256];
    private bool[] _done = new bool[256];
    private long _base;
    private long _head;
    private long _next;
    private long _end;
    private int _workers;
    private bool _stopped;
    private bool _held;
    private long _linked;
    private TaskCompletionSource? _room;
    private TaskCompletionSource? _empty;

    /// <param name="link">Links one slot (taking the collection's read lock itself); false when the collection closed.</param>
    /// <param name="bound">Tail length at which writes wait.</param>
    /// <param name="maxWorkers">Link workers at most (one per core by default).</param>
    public TailLinker(Func<int, bool> link, int bound, int maxWorkers)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWorkers, 1);
        _link = link;
        Bound = bound;
        _maxWorkers = maxWorkers;
    }

    /// <summary>Tail length at which writes wait for the linker.</summary>
    public int Bound { get; }

    /// <summary>Points acknowledged and not yet linked (including ones being linked now).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return (int)(_end - _head);
            }
        }
    }

    /// <summary>Nodes linked by this linker since the collection opened (the link rate's counter).</summary>
    public long Linked => Interlocked.Read(ref _linked);

    /// <summary>Appends reserved slots in log order and starts workers for them (collection write lock held).</summary>
    public void Add(IReadOnlyList<int> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Count == 0)
        {
            return;
        }

        var start = 0;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            EnsureRoom(slots.Count);
            for (var i = 0; i < slots.Count; i++)
            {
                var at = (int)(_end - _base);
                _slots[at] = slots[i];
                _done[at] = false;
                _end++;
            }

            start = _held ? 0 : (int)Math.Max(0, Math.Min(_maxWorkers - _workers, _end - _next - _workers));
            _workers += start;
        }

        for (var i = 0; i < start; i++)
        {
            // A thread of its own, not the pool's: a link is CPU-bound for hundreds of microseconds, and a busy pool
            // would delay the requests that accept writes.
            _ = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>The slots in the tail now, oldest first (some may be linked meanwhile; the caller merges by slot).</summary>
    public int[] Snapshot()
    {
        lock (_gate)
        {
            var count = (int)(_end - _head);
            return count == 0 ? [] : _slots.AsSpan((int)(_head - _base), count).ToArray();
        }
    }

    /// <summary>Returns when the tail is below <see cref="Bound"/> (at once, usually), or when the linker stopped.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_stopped || _end - _head < Bound)
                {
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _room.Task;
            }

            EngineMetrics.IngestWaits.Add(1);
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the tail is empty (tests and benchmarks; a stopped linker counts as empty).</summary>
    public Task WhenEmptyAsync()
    {
        lock (_gate)
        {
            if (_stopped || _end == _head)
            {
                return Task.CompletedTask;
            }

            _empty ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _empty.Task;
        }
    }

    /// <summary>Test seam: while held, workers start no new link (the tail only grows), so a test can make it long.</summary>
    public void Hold(bool held)
    {
        var start = 0;
        lock (_gate)
        {
            _held = held;
            if (!held && !_stopped)
            {
                start = (int)Math.Max(0, Math.Min(_maxWorkers - _workers, _end - _next - _workers));
                _workers += start;
            }
        }

        for (var i = 0; i < start; i++)
        {
            _ = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Stops linking (the collection closed): workers finish their current node, waiting writers go on and fail.</summary>
    public void Stop()
    {
        TaskCompletionSource? room, empty;
        lock (_gate)
        {
            _stopped = true;
            (room, _room) = (_room, null);
            (empty, _empty) = (_empty, null);
        }

        room?.TrySetResult();
        empty?.TrySetResult();
    }

    private void Work()
    {
        LinkerThread.LowerPriority();
        while (true)
        {
            long position;
            int slot;
            lock (_gate)
            {
                if (_stopped || _held || _next == _end)
                {
                    _workers--;
                    return;
                }

                position = _next++;
                slot = _slots[(int)(position - _base)];
            }

            if (!_link(slot))
            {
                Stop();
                lock (_gate)
                {
                    _workers--;
                }

                return;
            }

            Interlocked.Increment(ref _linked);
            EngineMetrics.IndexLinks.Add(1);
            Complete(position);
        }
    }

    private void Complete(long position)
    {
        TaskCompletionSource? room = null, empty = null;
        lock (_gate)
        {
            _done[(int)(position - _base)] = true;
            while (_head < _next && _done[(int)(_head - _base)])
            {
                _head++;
            }

            if (_room is not null && _end - _head < Bound)
            {
                (room, _room) = (_room, null);
            }

            if (_empty is not null && _end == _head)
            {
                (empty, _empty) = (_empty, null);
            }
        }

        room?.TrySetResult();
        empty?.TrySetResult();
    }

    // Makes room for `more` positions at the end: first by dropping the linked prefix, then by growing (under _gate).
    private void EnsureRoom(int more)
    {
        var used = (int)(_end - _base);
        if (used + more <= _slots.Length)
        {
            return;
        }

        var keep = (int)(_end - _head);
        var from = (int)(_head - _base);
        var capacity = Math.Max(_slots.Length, keep + more);
        if (capacity > _slots.Length)
        {
            capacity = Math.Max(capacity, _slots.Length * 2);
        }

        var slots = capacity == _slots.Length ? _slots : new int[capacity];
        var done = capacity == _done.Length ? _done : new bool[capacity];
        Array.Copy(_slots, from, slots, 0, keep);
        Array.Copy(_done, from, done, 0, keep);
        _slots = slots;
        _done = done;
        _base = _head;
    }
}
