# A library whose import never finishes: introspection must time out, kill
# the interpreter and name this library.
import time

print("snakegen_hangs: importing (this line goes to stdout, which snakegen never reads)")
while True:
    time.sleep(1)
