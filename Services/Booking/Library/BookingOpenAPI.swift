enum BookingOpenAPI { static let document = "{}" }
