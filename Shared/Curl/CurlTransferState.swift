import CCurl

/// What the C callbacks of one transfer read from and write into.
///
/// Lives on the stack of the thread-pool thread running the transfer; the callbacks get it
/// back from an unretained pointer, which is valid because `install(on:)`'s caller keeps the
/// state alive until `perform` returns.
final class CurlTransferState {
    /// Response body bytes received so far.
    var body: [UInt8] = []
    /// Header fields of the latest response (a redirect's or a `100 Continue`'s are dropped).
    var headers = HTTPClientHeaders()
    /// Bytes of body the caller accepts; the write callback aborts the transfer beyond it.
    let bodyLimit: Int
    /// Whether the body went over `bodyLimit`.
    var exceededBodyLimit = false
    /// Bytes to upload (SMTP's message).
    let upload: [UInt8]
    /// How many of `upload` libcurl has taken.
    var uploadOffset = 0
    /// Whether libcurl asked for upload bytes at all (for SMTP: the server answered DATA with 354).
    var uploadStarted = false

    /// Whether libcurl took every upload byte, so that a failure after it is the server's
    /// answer to the whole message.
    var uploadFinished: Bool { uploadStarted && uploadOffset == upload.count }
    let cancellation: CurlCancellation

    init(bodyLimit: Int = 0, upload: [UInt8] = [], cancellation: CurlCancellation) {
        self.bodyLimit = bodyLimit
        self.upload = upload
        self.cancellation = cancellation
    }

    /// Points the handle's write, header, progress and read callbacks at this state.
    func install(on handle: CurlEasyHandle) throws(CurlFailure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(rz_curl_setopt_write_function(handle.pointer, curlWriteBody))
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try check(rz_curl_setopt_header_function(handle.pointer, curlWriteHeader))
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try check(rz_curl_setopt_xferinfo_function(handle.pointer, curlProgress))
        try handle.set(CURLOPT_XFERINFODATA, pointer: context)
        try handle.set(CURLOPT_NOPROGRESS, 0)
        try check(rz_curl_setopt_read_function(handle.pointer, curlReadUpload))
        try handle.set(CURLOPT_READDATA, pointer: context)
    }

    private func check(_ code: CURLcode) throws(CurlFailure) {
        guard code == CURLE_OK else { throw CurlFailure(code: code, message: "setting a callback failed") }
    }

    /// Adds one raw header line as libcurl delivers it (with its CRLF).
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        var bytes = line[...]
        while let last = bytes.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { return }
        if bytes.starts(with: "HTTP/".utf8) {
            // A new status line: a new response (after 1xx or a followed redirect) starts here.
            headers = HTTPClientHeaders()
            return
        }
        if let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            // An obsolete folded continuation (RFC 9112 §5.2) belongs to the previous field.
            headers.appendToLastValue(" " + String(decoding: bytes, as: UTF8.self).trimmingSpaces())
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: bytes[..<colon], as: UTF8.self).trimmingSpaces()
        let value = String(decoding: bytes[(colon + 1)...], as: UTF8.self).trimmingSpaces()
        guard !name.isEmpty else { return }
        headers.add(name: name, value: value)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[start ... end])
    }
}

private func state(_ context: UnsafeMutableRawPointer?) -> CurlTransferState {
    Unmanaged<CurlTransferState>.fromOpaque(context!).takeUnretainedValue()
}

/// `CURLOPT_WRITEFUNCTION`: appends body bytes; returning less than given aborts the transfer.
private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let transfer = state(context)
    let length = size * count
    guard transfer.body.count + length <= transfer.bodyLimit else {
        transfer.exceededBodyLimit = true
        return 0
    }
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
    }
    return length
}

/// `CURLOPT_HEADERFUNCTION`: one call per header line, status lines included.
private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            state(context).receiveHeaderLine(UnsafeBufferPointer(start: $0, count: length))
        }
    }
    return length
}

/// `CURLOPT_XFERINFOFUNCTION`: called at least once a second; non-zero aborts (cancellation).
private func curlProgress(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t) -> Int32 {
    state(context).cancellation.isCancelled ? 1 : 0
}

/// `CURLOPT_READFUNCTION`: hands libcurl the next part of the upload; 0 means the end.
private func curlReadUpload(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    let transfer = state(context)
    transfer.uploadStarted = true
    let remaining = transfer.upload.count - transfer.uploadOffset
    guard remaining > 0 else { return 0 }
    guard let buffer else { return 0 }
    let length = min(size * count, remaining)
    transfer.upload.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + transfer.uploadOffset, byteCount: length)
    }
    transfer.uploadOffset += length
    return length
}
