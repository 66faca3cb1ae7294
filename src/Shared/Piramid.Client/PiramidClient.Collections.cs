using Piramid.Client.Models;

namespace Piramid.Client;

public sealed partial class PiramidClient
{
    /// <summary>Creates a collection, or returns it when it exists with the same settings (a 409 otherwise).</summary>
    public Task<CollectionInfo> CreateCollectionAsync(string name, CollectionSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return WriteAsync(HttpMethod.Put, CollectionPath(name), settings, Json.CollectionSettings, Json.CollectionInfo, idempotencyKey: null, cancellationToken);
    }

    /// <summary>Every collection of the tenant.</summary>
    public async Task<IReadOnlyList<CollectionInfo>> ListCollectionsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, "v1/collections", Json.CollectionListBody, cancellationToken))!.Collections;

    /// <summary>Describes a collection: settings, <c>count</c>, size, status.</summary>
    public async Task<CollectionInfo> GetCollectionAsync(string name, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, CollectionPath(name), Json.CollectionInfo, cancellationToken))!;

    /// <summary>
    /// Deletes a collection and its data. Not resent after a failed connection: the server keeps no key for it, so a
    /// resend after a lost answer reports 404 for a delete that succeeded, or deletes a collection recreated meanwhile.
    /// </summary>
    public async Task DeleteCollectionAsync(string name, CancellationToken cancellationToken = default) =>
        await SendAsync<object, CollectionInfo>(HttpMethod.Delete, CollectionPath(name), null, null, null, NewIdempotencyKey(), safeToResend: false, cancellationToken);
}
