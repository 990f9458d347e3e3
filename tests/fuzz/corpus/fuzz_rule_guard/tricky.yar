import "pe"
include "x.yar"
/* rule fake { condition: uint16(0) == 0x5A4D } */
private rule base : tag1 tag2 {
 meta:
  strings = "meta named strings"
  n = -1
 condition:
  uint16(0) == 0x5A4D and not filesize < 10 and (uint32be(0) != 0x7F454C46 or $x)
}
global rule gl { condition: filesize < 10MB and 100KB >= filesize }
rule uses { strings: $a = /x{2,3}\/y/is $b = { 4D // c
 5A } $mz = "MZ" $c = "q" xor(1-3) wide
 condition: base and $a and $b and $c and $mz at 0 and pe.is_pe and elf.type == elf.ET_EXEC
 and for any i in (0..1) : (uint16(i) == 0x5a4d) and any of (Set*) }
