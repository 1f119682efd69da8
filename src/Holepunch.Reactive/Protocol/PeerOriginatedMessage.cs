namespace Holepunch.Reactive.Protocol;

/// <summary>A message one peer sends to another (or to the server): it names its sender.</summary>
/// <param name="Sender">The sending peer's name.</param>
/// <param name="IntendedRecipient">The recipient's name; empty for the rendezvous server.</param>
public abstract record PeerOriginatedMessage(string Sender, string IntendedRecipient) : HolepunchMessage(IntendedRecipient);
