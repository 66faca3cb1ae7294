namespace Piramid.EndToEnd.Tests.Support;

/// <summary>Polling for conditions that become true on their own (an engine restarting, a route arriving).</summary>
public static class Eventually
{
    /// <summary>Waits until GET <paramref name="path"/> answers 2xx.</summary>
    public static async Task SucceedsAsync(HttpClient http, string path, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"GET {path} never succeeded within {within}: {last}");
    }

    /// <summary>
    /// Waits until GET <paramref name="path"/> answers <paramref name="status"/>: revocations reach the gateway
    /// through the change feed, "within about a second" (API.md), not with the control plane's answer.
    /// </summary>
    public static async Task AnswersAsync(HttpClient http, string path, System.Net.HttpStatusCode status, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode == status)
            {
                return;
            }

            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"GET {path} never answered {(int)status} within {within}: {last}");
    }
}
