import CCurl

/// A `curl_slist` (header lines, SMTP recipients) freed when the wrapper goes away.
///
/// libcurl reads the list during `curl_easy_perform`, so keep the wrapper alive until then.
final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init(_ strings: some Sequence<String>) throws(CurlFailure) {
        for string in strings {
            guard let newHead = string.withCString({ curl_slist_append(head, $0) }) else {
                throw CurlFailure(code: CURLE_OUT_OF_MEMORY, message: "curl_slist_append failed")
            }
            head = newHead
        }
    }

    deinit { curl_slist_free_all(head) }
}
