import Testing

@testable import Curl

@Suite("Headers and form encoding")
struct HTTPClientHeadersTests {
    @Test func lookUpIgnoresCaseAndKeepsOrder() {
        var headers: HTTPClientHeaders = ["Accept": "a", "X-Trace": "1"]
        headers.add(name: "x-trace", value: "2")
        #expect(headers["X-TRACE"] == ["1", "2"])
        #expect(headers.first(name: "accept") == "a")
        #expect(headers.contains(name: "ACCEPT"))
        #expect(headers.count == 3)

        headers.replaceOrAdd(name: "X-Trace", value: "3")
        #expect(headers["x-trace"] == ["3"])
        headers.remove(name: "ACCEPT")
        #expect(!headers.contains(name: "accept"))
        #expect(headers.map(\.name) == ["X-Trace"])
    }

    @Test func descriptionShowsNamesNotValues() {
        let headers: HTTPClientHeaders = ["Authorization": "Bearer secret-token"]
        #expect(!String(describing: headers).contains("secret"))
        #expect(String(describing: headers).contains("Authorization"))
    }

    @Test func headerLinesParseLikeLibcurlDeliversThem() {
        let state = CurlTransferState(cancellation: CurlCancellation())
        for line in ["HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 200 OK\r\n", "Content-Type:  text/plain \r\n",
                     "X-Folded: first\r\n", "\t second\r\n", "X-Empty:\r\n", "not a header\r\n", "\r\n"] {
            Array(line.utf8).withUnsafeBufferPointer { state.receiveHeaderLine($0) }
        }
        #expect(state.headers.first(name: "content-type") == "text/plain")
        #expect(state.headers.first(name: "x-folded") == "first second")
        #expect(state.headers["x-empty"] == [""])
        #expect(state.headers.count == 3)
    }

    @Test(arguments: [
        ([("a", "b")], "a=b"),
        ([("a b", "c d")], "a+b=c+d"),
        ([("k", "*-._~!'()")], "k=*-._%7E%21%27%28%29"),
        ([("x", "é/?&=+")], "x=%C3%A9%2F%3F%26%3D%2B"),
        ([("a", ""), ("b", "1")], "a=&b=1"),
    ] as [([(String, String)], String)])
    func formEncoding(fields: [(String, String)], encoded: String) {
        #expect(FormURLEncoder.encode(fields) == encoded)
    }
}
