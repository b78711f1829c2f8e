import CCurl

/// libcurl's process-wide state, set up once.
enum CurlLibrary {
    /// The result of the one `curl_global_init` call; Swift runs a static initializer exactly
    /// once even when several threads reach it together, which is the thread safety
    /// `curl_global_init` itself does not promise on every platform.
    private static let initialization: CURLcode = rz_curl_global_init()

    /// Runs `curl_global_init` on first use; throws the code it failed with, if it did.
    static func initialize() throws(CurlFailure) {
        let code = initialization
        guard code == CURLE_OK else { throw CurlFailure(code: code, message: "curl_global_init failed") }
    }
}

/// A failed libcurl call: its code and the text of `CURLOPT_ERRORBUFFER` (or `curl_easy_strerror`).
///
/// Internal: each client maps it to its own public error.
struct CurlFailure: Error {
    let code: CURLcode
    let message: String
}
