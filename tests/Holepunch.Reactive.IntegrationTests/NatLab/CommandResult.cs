namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>What a finished setup command (<c>ip</c>, <c>nft</c>) returned.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error);
