"""Words that never make a good theme label, in the Indonesian actually spoken in interviews.

General-purpose Indonesian lists are written for news text; interview speech adds fillers,
colloquial and regional forms, forms of address ("pak", "de") and the interview's own
vocabulary. Theme labels are read by researchers, so a word is listed here when a label made of
it would say nothing about *what* the obstacle or effort is. Kept as plain sets, grouped by why
a word is there, so a reviewer can argue with each group.
"""

from __future__ import annotations

STOPWORDS_VERSION = "1"

_FUNCTION_WORDS = """
ada adalah adanya agak agar akan akhirnya aku akupun amat anda antara antaranya apa apakah
apalagi apabila atas atau ataupun bagai bagaimana bagaimanapun bagi bahkan bahwa bahwasanya
baik banyak barangkali baru bawah beberapa begini begitu begitupun belum benar berapa berbagai
bersama besar betul biasa biasanya bila bilamana bisa boleh bukan bukankah cukup dahulu dalam
dan dapat dari daripada demi demikian dengan di dia diantara diri dirinya dong dulu entah hal
hampir hanya hanyalah harus hendak hingga ia ialah ini inilah itu itulah jadi jangan jika
jikalau juga justru kala kalau kalaupun kali kami kamu kan karena karenanya ke kecil kemudian
kenapa kepada ketika kini kita lagi lah lain lainnya lalu lama lebih maka makin mana masa
masih masing mau maupun melainkan memang mereka meski meskipun mungkin namun nanti nya oleh
pada padahal paling para pasti per perlu pernah pula pun punya saat saja salah sama sambil
sampai sana sangat saya se seakan sebab sebagai sebelum sebenarnya sebetulnya sebuah secara
sedang sedangkan sedikit segala sehingga sejak sekali sekarang selain selalu selama seluruh
semua semuanya sendiri seorang seperti sering serta sesuatu setelah setiap sini situ suatu
sudah supaya tadi tanpa tapi tentang tentu terhadap terlalu termasuk tersebut tetapi tiap
tidak toh untuk walau walaupun yaitu yakni yang
"""

_FILLERS_AND_PARTICLES = """
eee ee eh ehm em emm hm hmm mmm umm uh ehh aaa anu ah oh nah yah ya iya iyah yaa deh sih kok
loh lho dong mah tuh nih kah pun ok oke okay okey gitu gini kayak kaya kek
"""

_COLLOQUIAL = """
aja ajah ama amun bakal banget bgt bikin blm bs cuma cuman dah dapet dg dgn emang engga enggak
ga gak gaada gada gimana gk jg juga kalo klo kagak kayaknya kada kadada karna krn lagian mesti
musti nda ndak ngga nggak ntar pake pas pokoknya sampe sdh soalnya tak tdk terus trus tp udah
udh ya yg utk dlm pd tsb jd sy kt kyk ja tu ni gt sama2 makanya mangkanya
"""

_ADDRESS_AND_INTERVIEW = """
pak bapak bu ibu mas mbak mba de dek adik adek kak kakak bang abang om tante saudara saudari
sdr beliau kalian kamu anda kita kami informan narasumber peneliti pewawancara wawancara
pertanyaan jawab jawaban tanya bilang katanya kata mengatakan menurut misalnya contohnya contoh
seperti istilahnya intinya pokok kira kira-kira mungkin rasa rasanya kayaknya sepertinya
terima kasih selamat pagi siang sore malam assalamualaikum waalaikumsalam
"""

_TIME_AND_QUANTITY = """
tahun bulan minggu hari jam waktu kemarin besok tadi pagi siang sore malam satu dua tiga empat
lima enam tujuh delapan sembilan sepuluh puluh ratus ribu juta pertama kedua ketiga kali
sekali berapa beberapa banyak sedikit semua setiap
"""

# Words every obstacle or effort answer contains: they name the *kind* of segment, not its
# theme, and would otherwise top every label ("kendala", "upaya").
_DOMAIN_GENERIC = """
kendala kendalanya hambatan hambatannya masalah masalahnya permasalahan persoalan problem
upaya upayanya usaha cara solusi solusinya langkah faktor pendukung penghambat mendukung
dukungan hal kegiatan program pelaksanaan pelayanan layanan kerja bekerja kinerja pihak
bagian orang memang dilakukan melakukan lakukan kami lakukan mengalami dialami terjadi ada
dinas kantor instansi pemerintah kabupaten kota bidang
"""

# Evaluative words: they say how bad or good, not what; "terbatas" alone is no theme but
# "anggaran terbatas" is.
_EVALUATIVE = """
kurang terbatas keterbatasan minim lambat cepat bagus mudah sulit susah memadai optimal
maksimal lancar tinggi rendah penting utama
"""

# Everyday verbs and adverbs of spoken answers ("bawa", "datang", "langsung"): they fill every
# theme's segments and name none of them.
_GENERIC_VERBS = """
bawa ambil pakai buat dibuat membuat datang masuk lewat langsung isi isinya misal malah
hidup dasar menunggu tunggu pekerjaan membantu bantu dibantu enak semoga percaya tambahan
standar diganti ganti jelas sering kadang jarang kasih dikasih minta diminta lihat dilihat
tahu kerjakan dikerjakan urus mengurus diurus pergi pulang bilang cek dicek ikut sendiri
punya jalan jalankan menjalankan berjalan kena dapat mendapat dapet sebulan seminggu setahun
sehari kemarin selesai mulai sana sini
"""


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


HARD_STOPWORDS: frozenset[str] = frozenset().union(
    _words(_FUNCTION_WORDS),
    _words(_FILLERS_AND_PARTICLES),
    _words(_COLLOQUIAL),
    _words(_ADDRESS_AND_INTERVIEW),
)
"""Never part of a label: a phrase may not start or end with one of these."""

SOFT_STOPWORDS: frozenset[str] = (
    _words(_TIME_AND_QUANTITY)
    | _words(_DOMAIN_GENERIC)
    | _words(_EVALUATIVE)
    | _words(_GENERIC_VERBS)
) - HARD_STOPWORDS
"""Empty alone but meaningful in a phrase: "kerja" is no label, "beban kerja" is."""

STOPWORDS_ID: frozenset[str] = HARD_STOPWORDS | SOFT_STOPWORDS
"""Every stop word; lowercase, matched after the light ``-nya`` stripping of keyphrases."""
