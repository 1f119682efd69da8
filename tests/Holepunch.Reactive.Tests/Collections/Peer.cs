namespace Holepunch.Reactive.Tests.Collections;

/// <summary>An item of the caches under test, keyed by <see cref="Name"/>.</summary>
internal sealed record Peer(string Name, int Score);
