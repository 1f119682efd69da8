namespace Holepunch.Reactive.Peers.Events;

/// <summary>
/// Something that happened to a <see cref="HolepunchClient"/>: one closed hierarchy covering every signal of
/// <c>Holepunch.gd</c>. Switch over it with type patterns; no other assembly can add a case.
/// </summary>
public abstract record HolepunchEvent
{
    private protected HolepunchEvent()
    {
    }
}
