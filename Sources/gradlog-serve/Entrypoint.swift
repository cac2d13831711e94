import GradlogServe

@main
struct Entrypoint {
    static func main() async {
        await ServeCommand.main()
    }
}
