import CCurl

/// One libcurl easy handle and its error buffer.
///
/// `@unchecked Sendable` because it holds a C pointer libcurl does not let two threads use at
/// once: a handle is only touched by the thread-pool thread that checked it out of a
/// ``CurlEasyHandlePool``, which hands each handle to one caller at a time.
final class CurlEasyHandle: @unchecked Sendable {
    /// The `CURL *`.
    let pointer: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(CurlFailure) {
        try CurlLibrary.initialize()
        guard let pointer = curl_easy_init() else {
            throw CurlFailure(code: CURLE_OUT_OF_MEMORY, message: "curl_easy_init failed")
        }
        self.pointer = pointer
        let size = rz_curl_error_size()
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        try setDefaults()
    }

    deinit {
        curl_easy_cleanup(pointer)
        errorBuffer.deallocate()
    }

    /// Clears every option set by the last transfer (`curl_easy_reset`) but keeps the handle's
    /// live connections, DNS and TLS session caches for the next one.
    func reset() throws(CurlFailure) {
        curl_easy_reset(pointer)
        try setDefaults()
    }

    /// Options every transfer needs, set again after each reset.
    private func setDefaults() throws(CurlFailure) {
        // Signals are process-wide; on worker threads they would hit arbitrary threads.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlFailure) {
        try check(rz_curl_setopt_long(pointer, option, value), option)
    }

    /// Sets a string option; libcurl copies the string (every string option but `CURLOPT_POSTFIELDS`).
    func set(_ option: CURLoption, _ value: String) throws(CurlFailure) {
        let code = value.withCString { rz_curl_setopt_string(pointer, option, $0) }
        try check(code, option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(CurlFailure) {
        try check(rz_curl_setopt_pointer(pointer, option, value), option)
    }

    func set(_ option: CURLoption, list: CurlStringList) throws(CurlFailure) {
        try check(rz_curl_setopt_slist(pointer, option, list.head), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(CurlFailure) {
        try check(rz_curl_setopt_offset(pointer, option, curl_off_t(value)), option)
    }

    /// Runs the transfer set up by the options (blocking) and returns its code.
    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(pointer)
    }

    /// `CURLINFO_RESPONSE_CODE`: the last HTTP status or SMTP reply code, 0 when none arrived.
    var responseCode: Int {
        var code = 0
        _ = rz_curl_getinfo_long(pointer, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// The error buffer's text for the last `perform`, or `curl_easy_strerror(code)` when empty.
    func failure(_ code: CURLcode) -> CurlFailure {
        let text = String(cString: errorBuffer)
        return CurlFailure(code: code, message: text.isEmpty ? String(cString: curl_easy_strerror(code)) : text)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(CurlFailure) {
        guard code == CURLE_OK else {
            throw CurlFailure(code: code, message: "curl_easy_setopt(\(option.rawValue)): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
