using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The OpenSSL 3 <c>libcrypto</c> that .NET itself uses on Linux and FreeBSD, for the calls made straight into it
/// (<see cref="OpenSslEcdh"/>, <see cref="OpenSslAesGcm"/>): loaded once, and only when it reports exactly the version
/// .NET runs on, so that a different copy (another build of 3.x beside it) is never handed .NET's keys.
/// </summary>
internal static class OpenSslLibrary
{
    private static readonly nint Library = Load();

    /// <summary>The address of an export, or 0 when the library is not usable here or lacks it.</summary>
    public static nint Export(string name) =>
        Library != 0 && NativeLibrary.TryGetExport(Library, name, out var address) ? address : 0;

    private static unsafe nint Load()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
            || (SafeEvpPKeyHandle.OpenSslVersion >> 28) != 3
            || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
        {
            return 0;
        }

        // .NET has loaded its libcrypto by now (reading OpenSslVersion does), so opening the soname returns that copy; the
        // version check is the guard should another one be found first.
        if (NativeLibrary.TryGetExport(library, "OpenSSL_version_num", out var versionNumber)
            && ((delegate* unmanaged<nuint>)versionNumber)() == (nuint)SafeEvpPKeyHandle.OpenSslVersion)
        {
            return library;
        }

        NativeLibrary.Free(library);
        return 0;
    }
}
