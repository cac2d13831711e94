import Testing
@testable import Training

@Suite struct SplitMix64Tests {
    @Test func producesTheReferenceSequenceForSeedZero() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func producesTheDocumentedSequenceForTheDefaultSeed() {
        var generator = SplitMix64(seed: TrainingConfig.defaultSeed)
        #expect(generator.next() == 0xBDD7_3226_2FEB_6E95)
        #expect(generator.next() == 0x28EF_E333_B266_F103)
        #expect(generator.next() == 0x4752_6757_130F_9F52)
    }

    @Test func shuffleIsAPermutation() {
        var generator = SplitMix64(seed: 5)
        var items = Array(0..<100)
        generator.shuffle(&items)
        #expect(items != Array(0..<100))
        #expect(items.sorted() == Array(0..<100))
    }

    @Test func unitDoublesStayInTheHalfOpenInterval() {
        var generator = SplitMix64(seed: 9)
        for _ in 0..<10_000 {
            #expect((0..<1).contains(generator.nextUnitDouble()))
        }
    }
}
