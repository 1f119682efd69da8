namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Remembers which reliable message ids of one sender were delivered, as a sliding bitmap anchored at the
/// highest id seen (the anti-replay window of IPsec and DTLS). An id older than the window counts as seen:
/// the sender never has more than a window of messages in flight, so it can only be a late copy.
/// </summary>
internal sealed class ReceiveWindow
{
    private readonly ulong[] _bits;
    private readonly int _size;
    private long _highest = -1;

    public ReceiveWindow(int size)
    {
        _size = (size + 63) / 64 * 64;
        _bits = new ulong[_size / 64];
    }

    /// <summary>Records <paramref name="id"/>; <see langword="false"/> when it was seen before (a duplicate).</summary>
    public bool TryAccept(long id)
    {
        if (id > _highest)
        {
            var advance = id - _highest;
            if (advance >= _size)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (var cleared = _highest + 1; cleared < id; cleared++)
                {
                    Set(cleared, false);
                }
            }

            _highest = id;
            Set(id, true);
            return true;
        }

        if (id <= _highest - _size || IsSet(id))
        {
            return false;
        }

        Set(id, true);
        return true;
    }

    private bool IsSet(long id)
    {
        var bit = (int)(id % _size);
        return (_bits[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private void Set(long id, bool value)
    {
        var bit = (int)(id % _size);
        if (value)
        {
            _bits[bit >> 6] |= 1UL << (bit & 63);
        }
        else
        {
            _bits[bit >> 6] &= ~(1UL << (bit & 63));
        }
    }
}
