using System.Net;
using System.Reactive.Concurrency;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Every peer the server introduced, punching or confirmed, keyed by name; the confirmed ones are mirrored into
/// the public <see cref="ClientCore.Peers"/> cache. Applies the reference client's acceptance rule to peer
/// datagrams. Runs on the client's scheduler.
/// </summary>
internal sealed class PeerRegistry(ClientCore core)
{
    private readonly Dictionary<string, PeerSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingIntroduction> _agreeing = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public bool TryGet(string name, out PeerSession session) => _sessions.TryGetValue(name, out session!);

    /// <summary>The server introduced a peer: start punching (again, if it came back from new addresses).</summary>
    public void Introduce(ProvidingPeerHandshakeInfo info)
    {
        if (_agreeing.TryGetValue(info.PeerName, out var agreeing))
        {
            if (IsSameIntroduction(agreeing.Info.GlobalEndPoint, agreeing.Info.LocalEndPoint, agreeing.Info.PeerKey, info))
            {
                return;
            }

            // Introduced anew while agreeing keys for the old introduction: the old agreement is forgotten.
            _agreeing.Remove(info.PeerName);
        }

        if (_sessions.TryGetValue(info.PeerName, out var existing))
        {
            if (IsSameIntroduction(existing.GlobalEndPoint, existing.LocalEndPoint, existing.PeerKey, info))
            {
                // The same introduction again (the join was re-sent): nothing new.
                return;
            }

            Remove(existing, PeerDropReason.Replaced, new PeerNotConnectedException($"Peer '{existing.Name}' rejoined from another address."));
        }
        else if (_sessions.Count + _agreeing.Count >= core.Options.MaxPeers)
        {
            // Bounded: a flood of introductions (or a spoofed server) cannot grow the table or the punching without end.
            core.Drop("peer-table-full");
            return;
        }

        if (core.PeerKeys is { } keys && info.PeerKey is { } peerKey)
        {
            if (core.AgreeKeys is { } agree)
            {
                // A few hundred microseconds of public-key work (.NET's path): off the loop (and off the receive thread
                // that brought the introduction), so the loop, and on a small machine the server's next introduction, go on.
                var pending = new PendingIntroduction(info);
                _agreeing.Add(info.PeerName, pending);
                var name = core.Name;
                agree(() => keys.TryAgree(name, info.PeerName, peerKey)).ContinueWith(
                    static (agreed, state) =>
                    {
                        var (registry, pending) = ((PeerRegistry, PendingIntroduction))state!;
                        registry.OnAgreed(pending, agreed.IsCompletedSuccessfully ? agreed.Result : null);
                    },
                    (this, pending),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                return;
            }

            StartSealed(info, keys.TryAgree(core.Name, info.PeerName, peerKey));
            return;
        }

        Start(info, seal: null);
    }

    /// <summary>Whether <paramref name="info"/> introduces the peer again as it was (the join was re-sent): nothing new.</summary>
    private static bool IsSameIntroduction(IPEndPoint global, IPEndPoint local, string? peerKey, ProvidingPeerHandshakeInfo info) =>
        global.Equals(info.GlobalEndPoint) && local.Equals(info.LocalEndPoint) && string.Equals(peerKey, info.PeerKey, StringComparison.Ordinal);

    /// <summary>The keys of a pending introduction are agreed (or not: <see langword="null"/>). Any thread.</summary>
    private void OnAgreed(PendingIntroduction pending, PeerSeal? seal)
    {
        try
        {
            core.Scheduler.Schedule(() => Agreed(pending, seal));
        }
        catch (ObjectDisposedException)
        {
            // The client closed meanwhile.
            seal?.Dispose();
        }
    }

    private void Agreed(PendingIntroduction pending, PeerSeal? seal)
    {
        var name = pending.Info.PeerName;
        if (core.IsTerminated || !_agreeing.TryGetValue(name, out var current) || !ReferenceEquals(current, pending))
        {
            // Dropped, introduced anew or closed meanwhile.
            seal?.Dispose();
            return;
        }

        _agreeing.Remove(name);
        if (StartSealed(pending.Info, seal))
        {
            foreach (var (message, from) in pending.Held)
            {
                Handle(message, from);
            }
        }
    }

    /// <summary>Starts a peer whose keys were agreed; <see langword="false"/> (counted) when its key could not be used.</summary>
    private bool StartSealed(ProvidingPeerHandshakeInfo info, PeerSeal? seal)
    {
        if (seal is null)
        {
            // Falling back to plain would let whoever forged the key downgrade the pair: refuse the introduction.
            core.Drop("bad-peer-key");
            return false;
        }

        Start(info, seal);
        return true;
    }

    private void Start(ProvidingPeerHandshakeInfo info, PeerSeal? seal)
    {
        var relay = info.RelayToken is { } token && core.Options.EnableRelay ? new RelayPath(core, token, info.PeerName) : null;
        var batches = core.Options.BatchPeerMessages && info.PeerCapabilities?.Contains(ProtocolCapabilities.Batch, StringComparer.Ordinal) == true;
        var session = new PeerSession(core, info.PeerName, info.GlobalEndPoint, info.LocalEndPoint, relay, seal, batches) { PeerKey = info.PeerKey };
        _sessions.Add(info.PeerName, session);
        core.Emit(new Linked(info.PeerName, info.GlobalEndPoint, info.LocalEndPoint));
        session.StartPunching();
    }

    /// <summary>
    /// A peer datagram: accepted only when it names us, comes from a known peer, and from one of that peer's
    /// recorded addresses (PROTOCOL.md, "What the reference client accepts").
    /// </summary>
    public void Handle(PeerOriginatedMessage message, IPEndPoint from)
    {
        if (Route(message.Sender, message.IntendedRecipient, from, out var agreeing) is { } session)
        {
            Deliver(session, message, from, session.DirectPathFrom(from));
        }
        else if (agreeing is not null)
        {
            Hold(agreeing, message, from);
        }
    }

    /// <summary>
    /// A plain unreliable message or a sealed datagram decoded without a message object (the receive path's common
    /// case): accepted, opened and delivered by the same rules as <see cref="Handle(PeerOriginatedMessage, IPEndPoint)"/>.
    /// </summary>
    public void Handle(in PeerEnvelope envelope, IPEndPoint from)
    {
        if (Route(envelope.Sender, envelope.Recipient, from, out var agreeing) is not { } session)
        {
            if (agreeing is not null)
            {
                Hold(agreeing, envelope.ToMessage(), from);
            }

            return;
        }

        var via = session.DirectPathFrom(from);
        var isSealed = envelope.Kind == MessageKind.SealedPeerDatagram;
        if (!SealedAsAgreed(session, isSealed))
        {
            return;
        }

        if (!isSealed)
        {
            DeliverUnreliable(session, envelope, from, via);
            return;
        }

        var refusal = session.Seal!.TryOpen(envelope.Nonce, envelope.SealedBytes, out var plaintext);
        DeliverOpened(session, envelope.Sender, refusal, plaintext, from, via);
    }

    /// <summary>
    /// A datagram the server relayed: accepted when its relay token is the one issued for the named peer, and the
    /// datagram inside is from that peer and names us.
    /// </summary>
    public void HandleRelayed(RelayDatagram relayed)
    {
        if (!_sessions.TryGetValue(relayed.Sender, out var session) || session.RelayPath is not { } relay)
        {
            core.Drop("unknown-relay-sender");
            return;
        }

        if (!string.Equals(relayed.RelayToken, session.RelayToken, StringComparison.Ordinal))
        {
            core.Drop("wrong-relay-token");
            return;
        }

        var inner = MessageCodec.Decode(System.Text.Encoding.UTF8.GetBytes(relayed.Payload.GetRawText()), core.Options.MaxDatagramSize);
        if (inner.Message is not PeerOriginatedMessage message
            || !string.Equals(message.Sender, relayed.Sender, StringComparison.Ordinal)
            || !string.Equals(message.IntendedRecipient, core.Name, StringComparison.Ordinal))
        {
            core.Drop("bad-relay-payload");
            return;
        }

        Deliver(session, message, core.RendezvousEndPoint, relay);
    }

    /// <summary>
    /// The session a datagram from <paramref name="sender"/> to <paramref name="recipient"/> belongs to, when it names us
    /// and comes from one of the peer's recorded addresses; otherwise <see langword="null"/>, counted, or with
    /// <paramref name="agreeing"/> set when the peer's keys are still being agreed (the datagram waits for them).
    /// </summary>
    private PeerSession? Route(string sender, string recipient, IPEndPoint from, out PendingIntroduction? agreeing)
    {
        agreeing = null;
        if (!string.Equals(recipient, core.Name, StringComparison.Ordinal))
        {
            core.Drop("wrong-recipient");
            return null;
        }

        if (!_sessions.TryGetValue(sender, out var session))
        {
            if (_agreeing.TryGetValue(sender, out var pending) && pending.IsRecordedAddress(from))
            {
                // The peer was quicker to agree its keys than we are: its datagram waits for ours.
                agreeing = pending;
                return null;
            }

            core.Drop("unknown-sender");
            return null;
        }

        if (!session.IsRecordedAddress(from))
        {
            core.Drop("unrecorded-address");
            return null;
        }

        return session;
    }

    private void Hold(PendingIntroduction agreeing, PeerOriginatedMessage message, IPEndPoint from)
    {
        if (!agreeing.TryHold(message, from))
        {
            core.Drop("held-while-agreeing-full");
        }
    }

    /// <summary>
    /// Delivers a routed datagram that came by <paramref name="via"/>: as is from a plain peer; from a peer with session
    /// keys, only the authentic, fresh content of a sealed datagram (see <see cref="DeliverOpened"/>). Anything else is
    /// counted.
    /// </summary>
    private void Deliver(PeerSession session, PeerOriginatedMessage message, IPEndPoint from, IPeerPath via)
    {
        if (!SealedAsAgreed(session, message is SealedPeerDatagram))
        {
            return;
        }

        if (message is not SealedPeerDatagram sealedDatagram)
        {
            core.Accept(message, from);
            session.Handle(message, via);
            return;
        }

        var refusal = session.Seal!.TryOpen(sealedDatagram, out var plaintext);
        DeliverOpened(session, message.Sender, refusal, plaintext, from, via);
    }

    /// <summary>An accepted plain unreliable message, decoded without a message object.</summary>
    private void DeliverUnreliable(PeerSession session, in PeerEnvelope envelope, IPEndPoint from, IPeerPath via)
    {
        core.Accept(envelope, from);
        session.HandleUnreliable(envelope.Message, via);
    }

    /// <summary>
    /// Whether a datagram is sealed exactly when the peer has session keys: a plain one from a peer with keys would be a
    /// downgrade, a sealed one from a plain peer cannot be opened. Counted when not.
    /// </summary>
    private bool SealedAsAgreed(PeerSession session, bool isSealed)
    {
        if (isSealed == session.Seal is not null)
        {
            return true;
        }

        core.Drop(isSealed ? "sealed-from-plain-peer" : "unsealed-from-secure-peer");
        return false;
    }

    /// <summary>
    /// The datagram a sealed one carried: delivered when it opened (else counted as <paramref name="refusal"/>) and is a
    /// peer message (not sealed or relayed again) whose routing matches the outer datagram's; a plain unreliable message
    /// without a message object.
    /// </summary>
    private void DeliverOpened(PeerSession session, string sender, string? refusal, ReadOnlySpan<byte> plaintext, IPEndPoint from, IPeerPath via)
    {
        if (refusal is not null)
        {
            core.Drop(refusal);
            return;
        }

        var inner = MessageCodec.DecodeLean(plaintext, core.Options.MaxDatagramSize, out var envelope);
        try
        {
            if (envelope.Kind == MessageKind.UnreliablePeerMessage && IsFromTo(envelope.Sender, envelope.Recipient, sender))
            {
                DeliverUnreliable(session, envelope, from, via);
            }
            else if (envelope.Kind == MessageKind.Unknown
                && inner.Message is PeerOriginatedMessage opened and not (SealedPeerDatagram or RelayDatagram)
                && IsFromTo(opened.Sender, opened.IntendedRecipient, sender))
            {
                core.Accept(opened, from);
                session.Handle(opened, via);
            }
            else
            {
                core.Drop("bad-sealed-payload");
            }
        }
        finally
        {
            envelope.Release();
        }
    }

    private bool IsFromTo(string innerSender, string innerRecipient, string outerSender) =>
        string.Equals(innerSender, outerSender, StringComparison.Ordinal) && string.Equals(innerRecipient, core.Name, StringComparison.Ordinal);

    public void OnConfirmed(PeerSession session)
    {
        var info = session.Info!;
        core.Peers.AddOrUpdate(info);
        core.Emit(new PeerConfirmed(info));
        if (!core.IsHost && session.Name == core.RoomName)
        {
            core.Rendezvous.OnHostConfirmed();
        }
    }

    public void OnHandshakeTimeout(PeerSession session)
    {
        _sessions.Remove(session.Name);
        session.Close(new PeerHandshakeTimeoutException($"No punch probe to peer '{session.Name}' was answered."));
        core.Emit(new PeerHandshakeTimedOut(session.Name, session.ProbedEndPoints, session.HeardEndPoints, session.RelayPath is not null));
        if (!core.IsHost && session.Name == core.RoomName)
        {
            core.Rendezvous.OnHostUnreachable(session.Name);
        }
    }

    public void OnCheckTimeout(PeerSession session)
    {
        core.Emit(new PeerCheckTimedOut(session.Name));
        Remove(session, PeerDropReason.CheckTimeout, new PeerNotConnectedException($"Peer '{session.Name}' stopped answering peer checks."));
        if (!core.IsHost && session.Name == core.RoomName)
        {
            // A joiner without its host has nothing left to talk to.
            core.Terminate($"host '{session.Name}' stopped answering peer checks", new PeerNotConnectedException($"Host '{session.Name}' timed out."));
        }
    }

    /// <summary>Drops a peer on request; <see langword="false"/> when no such peer.</summary>
    public bool Drop(string name)
    {
        if (_agreeing.Remove(name))
        {
            return true;
        }

        if (!_sessions.TryGetValue(name, out var session))
        {
            return false;
        }

        Remove(session, PeerDropReason.Requested, new PeerNotConnectedException($"Peer '{name}' was dropped."));
        return true;
    }

    public void CloseAll(Exception error)
    {
        foreach (var session in _sessions.Values)
        {
            session.Close(error);
        }

        _sessions.Clear();
        _agreeing.Clear();
        core.Peers.Clear();
    }

    private void Remove(PeerSession session, PeerDropReason reason, Exception error)
    {
        _sessions.Remove(session.Name);
        var wasConfirmed = session.IsConfirmed;
        session.Close(error);
        if (wasConfirmed)
        {
            core.Peers.Remove(session.Name);
            core.Emit(new PeerDropped(session.Name, reason));
        }
    }
}
